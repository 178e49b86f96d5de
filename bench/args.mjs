// Command-line options of the bench scripts: `--name value`.

/** The value after `--name`, or undefined. */
export function option(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/** `--name N` as a positive integer (`dflt` when absent); anything else exits 2 naming `script`. */
export function positive(script, name, dflt) {
  const v = option(name);
  const n = v === undefined ? dflt : Number(v);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`bench/${script}: --${name} expects a positive integer, got "${v}"`);
    process.exit(2);
  }
  return n;
}
