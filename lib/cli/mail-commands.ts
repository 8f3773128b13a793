// Owned by the mailbox work (issue 5): mail:send.
import type { CliCommand } from './main';

export const mailSendCommand: CliCommand = { summary: '', usage: 'mail:send FILE --to ADDRESS (--relay URL | --jmap URL)', run: async (_a, io) => (io.stderr('not implemented yet\n'), 3) };
