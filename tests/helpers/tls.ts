import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp-dir.ts';

/**
 * A hall's own certificate authority and a server certificate it signed for 127.0.0.1 and localhost,
 * made with openssl as README.md tells an installer to: the files, and their PEM text.
 */
export function hallCertificates() {
  const dir = tempDir('hallq-tls-');
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => {
    const run = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`openssl ${args[0]} failed: ${run.stderr}`);
  };
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '30',
    '-subj',
    '/CN=HallQ test hall CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    '/CN=hall-server',
    '-keyout',
    'hall.key',
    '-out',
    'hall.csr',
  );
  writeFileSync(path('hall.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'hall.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '30',
    '-extfile',
    'hall.ext',
    '-out',
    'hall.crt',
  );
  return {
    files: { ca: path('ca.crt'), cert: path('hall.crt'), key: path('hall.key') },
    ca: readFileSync(path('ca.crt'), 'utf8'),
    cert: readFileSync(path('hall.crt'), 'utf8'),
    key: readFileSync(path('hall.key'), 'utf8'),
  };
}
