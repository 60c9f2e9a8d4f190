/** `ecs-lab bot [--socket | --http --port 3000]`: runs the Slack bot in the foreground (CONTRACT §7). */
import { EngineError } from '../scenarios/errors.js';
import type { ParsedArgs } from './args.js';
import type { Io } from './commands.js';

export async function runBotCommand(args: ParsedArgs, io: Io): Promise<number> {
  // Loaded on demand: Bolt and the sandbox are for this command only.
  const { loadBotConfig, BotConfigError } = await import('../bot/config.js');
  const { AccessConfigError } = await import('../bot/access.js');
  const { LabError } = await import('../bot/lab/types.js');
  const { startBot } = await import('../bot/app.js');
  let bot;
  let fatal: ((err: Error) => void) | undefined;
  let fatalError: Error | undefined;
  try {
    const config = loadBotConfig(args.flags, io.env);
    bot = await startBot(config, {
      onFatal: (err) => {
        fatalError = err;
        fatal?.(err);
      },
    });
    const where = config.mode === 'http' ? `HTTP on port ${bot.port} (POST /slack/events, GET /healthz)` : 'Socket Mode';
    const lab = config.lab.target === 'local' ? `sandbox at ${bot.sandboxUrl} (auth sigv4, one account per learner)` : `AWS target (learners file ${config.learnersFile})`;
    io.stderr.write(`ecs-lab bot: ${where}; ${lab}; team ${bot.team ?? 'unknown'}.\n`);
  } catch (err) {
    if (err instanceof BotConfigError || err instanceof AccessConfigError) throw new EngineError('USAGE', err.message);
    if (err instanceof LabError) {
      const code = err.code === 'ACCESS_CONFIG' ? 'USAGE' : err.code === 'CONFIG_INVALID' ? 'CONFIG_INVALID' : 'TARGET';
      throw new EngineError(code, err.message);
    }
    const slack = (err as { data?: { error?: string } }).data?.error;
    if (slack) throw new EngineError('TARGET', `Slack refused the bot's credentials or settings (${slack}).`);
    throw err;
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    fatal = stop;
    if (fatalError) stop();
  });
  await bot.stop();
  if (fatalError) {
    io.stderr.write(`ecs-lab bot: stopped, the lab failed: ${fatalError.message}.\n`);
    return 3;
  }
  io.stderr.write('ecs-lab bot stopped.\n');
  return 0;
}
