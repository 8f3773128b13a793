// Owned by the UBL work (issue 3): validate, parse, build.
import type { CliCommand } from './main';

const todo = (usage: string): CliCommand => ({ summary: '', usage, run: async (_a, io) => (io.stderr('not implemented yet\n'), 3) });
export const validateCommand = todo('validate FILE');
export const parseCommand = todo('parse FILE');
export const buildCommand = todo('build FILE.json');
