/**
 * Which value exports of lib/mod.ts lack a running `@example` (a fenced `ts` block not
 * marked `ignore`) in their JSDoc. `deno test --doc` runs the examples; this says which
 * exports have none. Run from the project root:
 * `deno run -A tools/mod_examples.ts` (exit 1 when any lacks one).
 *
 * @module
 */
import ts from "typescript";

/**
 * The value exports of `mod` (functions, constants, schemas) and those without a running
 * example (`name<TAB>file`, sorted).
 */
export function exportsWithoutExamples(mod: string): { checked: number; missing: string[] } {
  const root = Deno.cwd();
  const program = ts.createProgram([mod], {
    noEmit: true,
    target: ts.ScriptTarget.ESNext,
    module: ts.ModuleKind.ESNext,
    allowImportingTsExtensions: true,
    resolveJsonModule: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(mod);
  if (!source) throw new TypeError(`Cannot read "${mod}": no such module`);
  const missing: string[] = [];
  let checked = 0;
  for (const exported of checker.getExportsOfModule(checker.getSymbolAtLocation(source)!)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias
      ? checker.getAliasedSymbol(exported)
      : exported;
    const decl = symbol.declarations?.[0];
    if (!decl || !(symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable))) continue;
    checked++;
    const node = ts.isVariableDeclaration(decl) ? decl.parent.parent : decl;
    const text = decl.getSourceFile().getFullText();
    const doc = (ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [])
      .map((r) => text.slice(r.pos, r.end)).join("\n");
    if (!/@example[\s\S]*?```ts(?! ignore)/.test(doc)) {
      missing.push(`${exported.name}\t${decl.getSourceFile().fileName.replace(root + "/", "")}`);
    }
  }
  return { checked, missing: missing.sort() };
}

if (import.meta.main) {
  const { checked, missing } = exportsWithoutExamples(`${Deno.cwd()}/lib/mod.ts`);
  for (const line of missing) console.log(line);
  console.error(
    `${missing.length} of ${checked} value exports of lib/mod.ts without a running @example`,
  );
  Deno.exit(missing.length === 0 ? 0 : 1);
}
