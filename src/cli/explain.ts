import type { Command } from 'commander';
import type { CliContext } from './main.js';

// Placeholder until the catalogue lands (replaced by the catalogue work).
export function register(_program: Command, _ctx: CliContext): void {}
