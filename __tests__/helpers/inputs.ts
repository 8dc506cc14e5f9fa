import { readActionInputs } from '../../scripts/action-runner.js';

/** An input reader with action.yml's defaults, overridden by `values`, as the runner would give. */
export async function readerWith(
  values: Record<string, string>,
): Promise<(name: string) => string> {
  const defaults = (await readActionInputs()) as Record<string, { default: string }>;
  for (const name of Object.keys(values)) {
    if (!(name in defaults)) throw new Error(`action.yml has no input ${name}`);
  }
  return (name: string) => {
    if (!(name in defaults)) throw new Error(`the code reads an input action.yml lacks: ${name}`);
    return values[name] ?? defaults[name]!.default.replace('${{ github.token }}', '');
  };
}
