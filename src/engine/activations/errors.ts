// User-facing errors of the catalog, in a module of their own so definitions can throw them
// without importing the registry (which imports the definitions).

/** A bad name, parameter or input: shown as one plain line, never a stack trace. */
export class CatalogError extends Error {
  constructor(
    message: string,
    readonly suggestions: readonly string[] = [],
  ) {
    super(message);
    this.name = 'CatalogError';
  }
}
