// `npm start`: runs before node_modules may exist, so only Node's own modules are used until the install.
// Installs the dependencies when they are missing or older than package-lock.json, then hands over to the
// TypeScript orchestrator (apps/launcher/src/start/orchestrator.ts).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..', '..');

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function installIfNeeded() {
  const lock = path.join(root, 'package-lock.json');
  const installed = mtime(path.join(root, 'node_modules', '.package-lock.json'));
  const locked = mtime(lock);
  if (installed !== undefined && (locked === undefined || installed >= locked)) return;
  const command = locked === undefined ? 'install' : 'ci';
  console.log(`[start] dependencies ${installed === undefined ? 'are not installed' : 'are older than package-lock.json'}: npm ${command}`);
  // Under `npm start`, npm_execpath is npm's own CLI: run the same npm with the same node.
  const npmCli = process.env.npm_execpath;
  const result = npmCli && /npm-cli\.js$/.test(npmCli)
    ? spawnSync(process.execPath, [npmCli, command], { cwd: root, stdio: 'inherit' })
    : spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', [command], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.error) {
    console.error(`[start] could not run npm ${command}: ${result.error.message}`);
    process.exit(1);
  }
  if (result.status !== 0) {
    console.error(`[start] npm ${command} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

installIfNeeded();
require('./register.js');
require('./start/orchestrator').main(process.argv.slice(2)).catch((err) => {
  console.error(err);
  process.exit(1);
});
