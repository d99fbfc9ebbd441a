/**
 * What one small write to a loopback TCP socket costs this machine, in microseconds, with the
 * reading sockets in another process (as the server's clients are). Every relayed message is one
 * such write per connection, so this sets the floor of a fan-out: printed beside the scale
 * figures to tell one machine from another (a VM's system calls can cost several times a bare
 * machine's).
 */
import { spawn } from 'node:child_process';
import net from 'node:net';

const SOCKETS = 200;
const ROUNDS = 30;
const READER = `
const net = require('node:net');
const port = Number(process.argv[1]);
let open = 0;
for (let i = 0; i < ${SOCKETS}; i++)
  net.connect(port, '127.0.0.1', () => { if (++open === ${SOCKETS}) process.send('ready'); }).on('data', () => {});
process.on('disconnect', () => process.exit(0));
`;

export async function loopbackWriteMicros(): Promise<number> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    sockets.push(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const reader = spawn(process.execPath, ['-e', READER, String(port)], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve) => reader.once('message', () => resolve()));
  while (sockets.length < SOCKETS) await new Promise((r) => setTimeout(r, 5));
  const message = Buffer.alloc(120, 1);
  const timed: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    for (const socket of sockets) socket.write(message);
    timed.push(Number(process.hrtime.bigint() - started) / 1000 / SOCKETS);
    await new Promise((r) => setTimeout(r, 5));
  }
  reader.disconnect();
  for (const socket of sockets) socket.destroy();
  server.close();
  timed.sort((a, b) => a - b);
  return timed[Math.floor(timed.length / 2)]!;
}
