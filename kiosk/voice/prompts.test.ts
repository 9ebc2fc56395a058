import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROMPTS, promptClips } from './prompts.ts';

describe('elderly-mode prompts', () => {
  it('says a prompt as one clip in the language on screen', () => {
    expect(promptClips({ prompt: 'choose-service', lang: 'zh' })).toEqual(['prompts/zh/choose-service']);
    expect(promptClips({ prompt: 'still-there', lang: 'en' })).toEqual(['prompts/en/still-there']);
  });

  it('reads the ticket number digit by digit, as the wall does: 这是您的号码 A零零一，请留意叫号', () => {
    expect(promptClips({ prompt: 'your-number', lang: 'zh', number: 'A001' })).toEqual([
      'prompts/zh/your-number',
      'zh/letter-a',
      'zh/0',
      'zh/0',
      'zh/1',
      'prompts/zh/wait-for-call',
    ]);
    expect(promptClips({ prompt: 'your-number', lang: 'en', number: 'B12' })).toEqual([
      'prompts/en/your-number',
      'en/letter-b',
      'en/one',
      'en/two',
      'prompts/en/wait-for-call',
    ]);
  });

  it('has every clip it can ask for in the default voice pack', () => {
    const pack = join(import.meta.dirname, '..', '..', 'display', 'wall', 'voice');
    const needed = new Set<string>();
    for (const lang of ['zh', 'en'] as const)
      for (const prompt of PROMPTS)
        for (const clip of promptClips({ prompt, lang, number: 'AZ0123456789' })) needed.add(clip);
    const missing = [...needed].filter((clip) => !existsSync(join(pack, `${clip}.wav`)));
    expect(missing).toEqual([]);
  });
});
