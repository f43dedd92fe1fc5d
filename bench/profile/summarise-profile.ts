/**
 * Where a CPU profile's time went, for history.md: self time grouped by package (node_modules
 * name, `node:` internals, GC, idle, or this project's own files) and the top functions.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/.../main.js   (or BENCH_SERVICE_NODE_ARGS, README)
 *   node -r ts-node/register/transpile-only bench/profile/summarise-profile.ts /tmp/prof/X.cpuprofile [top=25]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function groupOf(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (functionName === '(garbage collector)') return '(gc)';
  if (functionName === '(idle)' || functionName === '(program)') return functionName;
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (module) return module[1];
  if (url.startsWith('node:') || url === '') return '(node internals)';
  return '(this project)';
}

function main(): void {
  const [file, topArg] = process.argv.slice(2);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    groups.set(groupOf(node), (groups.get(groupOf(node)) ?? 0) + us);
    const where = node.callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*\/(apps|libs)\//, '$1/');
    const name = `${node.callFrame.functionName || '(anonymous)'} ${where}:${node.callFrame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1)}%`.padStart(6);
  process.stdout.write(`${(total / 1e6).toFixed(1)} s sampled\n\nself time by package:\n`);
  for (const [group, us] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 20)) process.stdout.write(`${pct(us)}  ${group}\n`);
  process.stdout.write('\ntop functions (self time):\n');
  for (const [name, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 25))) process.stdout.write(`${pct(us)}  ${name}\n`);
}

main();
