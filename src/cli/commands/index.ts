import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { registerAttractivenessCommands } from './attractiveness.ts';
import { registerCaptureCommands } from './capture.ts';
import { registerDemoCommands } from './demo.ts';
import { registerImportCommands } from './import.ts';
import { registerLeadsCommands } from './leads.ts';
import { registerLiveDemoCommands } from './live-demo.ts';
import { registerReportCommands } from './report.ts';
import { registerRoutingCommands } from './routing.ts';
import { registerScoringCommands } from './scoring.ts';
import { registerServerCommands } from './server.ts';
import { registerSlaCommands } from './sla.ts';
import { registerWorkspaceCommands } from './workspace.ts';

/** Every command group, one registration function per capability (one line each, to keep merges trivial). */
export const commandGroups: Array<(program: Command, ctx: () => CliContext) => void> = [
  registerWorkspaceCommands,
  registerDemoCommands,
  registerReportCommands,
  registerImportCommands,
  registerLeadsCommands,
  registerCaptureCommands,
  registerSlaCommands,
  registerLiveDemoCommands,
  registerServerCommands,
  registerScoringCommands,
  registerRoutingCommands,
  registerAttractivenessCommands,
];
