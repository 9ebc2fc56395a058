#!/usr/bin/env bash
# Regenerates the default voice pack: every clip that display/wall/announce/clips.ts can ask for, and
# the kiosk's elderly-mode prompts (kiosk/voice/prompts.ts, under prompts/), spoken by espeak-ng (Chinese with the `cmn-latn-pinyin` voice from pinyin with tone numbers,
# English with `en`), plus a two-tone chime made with sox. 16 kHz mono 16-bit WAV, silence trimmed, so
# clips play back to back without gaps and the committed pack stays small.
#
#   scripts/voice-pack.sh [output-folder]     (default: display/wall/voice)
#
# Needs espeak-ng and sox (Debian: apt-get install espeak-ng sox). The output is deterministic, so a
# regenerated pack shows no diff unless a pronunciation below changed. A hall's own recordings replace
# these files one by one (display/wall/voice/README.md).
set -euo pipefail

out="${1:-$(cd "$(dirname "$0")/.." && pwd)/display/wall/voice}"
command -v espeak-ng >/dev/null || { echo "voice-pack: espeak-ng is not installed" >&2; exit 1; }
command -v sox >/dev/null || { echo "voice-pack: sox is not installed" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out/zh" "$out/en" "$out/prompts/zh" "$out/prompts/en"

# Raw speech → 16 kHz mono, leading and trailing silence cut, a short tail so words do not run together,
# peaks at -1 dBFS so the human-recorded and generated clips of a pack sit at similar loudness.
finish() {
  sox -R "$1" -r 16000 -c 1 -b 16 "$2" \
    silence 1 0.01 0.3% reverse silence 1 0.01 0.3% reverse pad 0 "${3:-0.06}" norm -1
}

# speak VOICE SPEED NAME TEXT [TAIL_SECONDS]
speak() {
  espeak-ng -v "$1" -s "$2" -w "$tmp/raw.wav" "$4"
  finish "$tmp/raw.wav" "$out/$3.wav" "${5:-0.06}"
}
zh() { speak cmn-latn-pinyin 150 "zh/$1" "$2" "${3:-0.06}"; }
en() { speak en 150 "en/$1" "$2" "${3:-0.06}"; }

# 请 A零零一 号 到 3 号窗口 办理 — the phrase clips end with a longer pause where a speaker would breathe.
zh qing "qing3"
zh hao "hao4" 0.25
zh dao "dao4"
zh hao-chuangkou "hao4 chuang1 kou3"
zh banli "ban4 li3" 0.4
digits=(ling2 yi1 er4 san1 si4 wu3 liu4 qi1 ba1 jiu3 shi2)
for n in "${!digits[@]}"; do zh "$n" "${digits[$n]}"; done

# Capital letters alone: the Mandarin voice says them the way Chinese speakers name Latin letters (A → ēi).
for letter in {A..Z}; do
  lower="$(tr 'A-Z' 'a-z' <<<"$letter")"
  zh "letter-$lower" "$letter"
  en "letter-$lower" "$letter"
done

# Ticket A001, please go to counter 3
en ticket "Ticket"
en please-go-to-counter "please go to counter"
en please-come-forward "please come forward" 0.4
for word in zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen \
  sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety; do
  en "$word" "$word"
done

# The kiosk's elderly-mode prompts: short sentences, at the pace of the calls. A ticket number in
# 这是您的号码 A零零一，请留意叫号 is read with the letter and digit clips above.
pzh() { speak cmn-latn-pinyin 150 "prompts/zh/$1" "$2" "${3:-0.2}"; }
pen() { speak en 150 "prompts/en/$1" "$2" "${3:-0.2}"; }
pzh choose-service "qing3 xuan3 ze2 nin2 yao4 ban4 li3 de ye4 wu4"
pzh your-number "zhe4 shi4 nin2 de hao4 ma3" 0.15
pzh wait-for-call "qing3 liu2 yi4 jiao4 hao4"
pzh appointment-code "qing3 shu1 ru4 huo4 sao3 miao2 yu4 yue1 ma3"
pzh still-there "nin2 hai2 zai4 ma5"
pen choose-service "Please choose a service."
pen your-number "Your number is" 0.15
pen wait-for-call "please wait for your call."
pen appointment-code "Please enter or scan your appointment code."
pen still-there "Are you still there?"

# Chime: ding (G5) then dong (E5), each a sine with its octave, struck and decaying like a bell.
sox -R -n -r 16000 -c 1 -b 16 "$tmp/ding.wav" synth 0.55 sine 784 sine 1568 remix - fade q 0.005 0.55 0.5 gain -3
sox -R -n -r 16000 -c 1 -b 16 "$tmp/dong.wav" synth 0.9 sine 659.25 sine 1318.5 remix - fade q 0.005 0.9 0.85 gain -3
sox -R "$tmp/ding.wav" "$tmp/dong.wav" -r 16000 -c 1 -b 16 "$out/chime.wav" pad 0 0.2 norm -3

echo "voice-pack: wrote $(find "$out" -name '*.wav' | wc -l) clips to $out"
