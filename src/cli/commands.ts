// The command table: adding a command is one file exporting a `CommandSpec` and one line here.
import type { CommandSpec } from './command';
import { LIST, SHOW } from './describe';
import { EVAL } from './evaluate';
import { EXPLAIN } from './explain';
import { LINT } from './lint';
import { probeCommands } from './probe';
import { TRAIN } from './train';

export const COMMANDS: readonly CommandSpec[] = [EVAL, LIST, SHOW, TRAIN, EXPLAIN, LINT, ...probeCommands()];
