import { join } from 'node:path';
import * as ts from 'typescript';

/** Repository root. */
export const REPO_ROOT = join(__dirname, '..', '..');

/** The package's entry points: import specifier → source file. Keep in step with package.json `exports`. */
export const ENTRY_POINTS: Readonly<Record<string, string>> = {
  'aks-waf-mtls-edge': 'lib/index.ts',
  'aks-waf-mtls-edge/azure': 'lib/azure-entry.ts',
};

/** One exported symbol of the public API, or a member of one. */
export interface ApiItem {
  /** Dotted path from the entry, e.g. `aks-waf-mtls-edge:MtlsIngressProps.hosts`. */
  readonly path: string;
  /** What it is (`class`, `interface`, `property`, `method`, ...). */
  readonly kind: string;
  /** TSDoc summary text (empty when undocumented). */
  readonly doc: string;
  /** Whether it is a member of an exported class, interface or type (rather than an export itself). */
  readonly member: boolean;
  /** Whether it is an optional property. */
  readonly optional: boolean;
  /** Whether its TSDoc carries `@default` (or `@defaultValue`). */
  readonly hasDefault: boolean;
}

/** Loads the library's program the way the package build compiles it. */
export function loadProgram(): ts.Program {
  const configPath = join(REPO_ROOT, 'tsconfig.build.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(
    config.config,
    ts.sys,
    REPO_ROOT,
    { noEmit: true, incremental: false },
    configPath,
  );
  return ts.createProgram({
    rootNames: Object.values(ENTRY_POINTS).map((f) => join(REPO_ROOT, f)),
    options: parsed.options,
  });
}

const isPublicMember = (m: ts.ClassElement | ts.TypeElement): boolean => {
  const flags = ts.canHaveModifiers(m) ? ts.getCombinedModifierFlags(m as ts.Declaration) : 0;
  if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return false;
  return !(m.name && ts.isPrivateIdentifier(m.name));
};

function docOf(checker: ts.TypeChecker, symbol: ts.Symbol): { doc: string; hasDefault: boolean } {
  const doc = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
  const hasDefault = symbol.getJsDocTags(checker).some((t) => t.name === 'default' || t.name === 'defaultValue');
  return { doc, hasDefault };
}

/**
 * Every exported symbol of every entry point, with the members a consumer sees: public members of classes, properties
 * and methods of interfaces, and properties of object types written inline in them (e.g. `slack: { channel: ... }`).
 * Namespace re-exports (`export * as monitoring`) are walked too.
 */
export function publicApi(program: ts.Program = loadProgram()): ApiItem[] {
  const checker = program.getTypeChecker();
  const items: ApiItem[] = [];
  const seenTypes = new Set<ts.Node>();

  const addMembers = (prefix: string, members: ts.NodeArray<ts.ClassElement | ts.TypeElement>): void => {
    for (const m of members) {
      if (!isPublicMember(m) || !m.name || ts.isConstructorDeclaration(m) || ts.isIndexSignatureDeclaration(m))
        continue;
      if (ts.isClassStaticBlockDeclaration(m as ts.Node)) continue;
      const symbol = checker.getSymbolAtLocation(m.name);
      if (!symbol) continue;
      const name = `${prefix}.${symbol.getName()}`;
      const optional = (ts.isPropertySignature(m) || ts.isPropertyDeclaration(m)) && m.questionToken !== undefined;
      items.push({
        path: name,
        kind: ts.SyntaxKind[m.kind].replace(/Declaration/, '').toLowerCase(),
        member: true,
        optional,
        ...docOf(checker, symbol),
      });
      const typeNode = ts.isPropertySignature(m) || ts.isPropertyDeclaration(m) ? m.type : undefined;
      if (typeNode) addInlineTypes(name, typeNode);
    }
  };

  const addInlineTypes = (prefix: string, node: ts.TypeNode): void => {
    if (seenTypes.has(node)) return;
    seenTypes.add(node);
    if (ts.isTypeLiteralNode(node)) addMembers(prefix, node.members);
    else if (ts.isArrayTypeNode(node)) addInlineTypes(prefix, node.elementType);
    else if (ts.isTypeOperatorNode(node) || ts.isParenthesizedTypeNode(node)) addInlineTypes(prefix, node.type);
    else if (ts.isUnionTypeNode(node) || ts.isIntersectionTypeNode(node))
      node.types.forEach((t) => addInlineTypes(prefix, t));
    else if (ts.isTypeReferenceNode(node)) node.typeArguments?.forEach((t) => addInlineTypes(prefix, t));
  };

  const addModule = (prefix: string, moduleSymbol: ts.Symbol): void => {
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const path = `${prefix}${exported.getName()}`;
      const decl = symbol.declarations?.[0];
      if (!decl) continue;
      if (ts.isSourceFile(decl)) {
        // `export * as name from './folder'`: the namespace object itself, documented by the folder's index.ts.
        items.push({
          path,
          kind: 'namespace',
          member: false,
          optional: false,
          doc: namespaceDoc(decl),
          hasDefault: false,
        });
        addModule(`${path}.`, symbol);
        continue;
      }
      const kind = ts.SyntaxKind[decl.kind].replace(/Declaration|Statement/, '').toLowerCase();
      items.push({ path, kind, member: false, optional: false, ...docOf(checker, symbol) });
      for (const d of symbol.declarations ?? []) {
        if (ts.isClassDeclaration(d) || ts.isInterfaceDeclaration(d)) addMembers(path, d.members);
        else if (ts.isTypeAliasDeclaration(d)) addInlineTypes(path, d.type);
      }
    }
  };

  for (const [specifier, file] of Object.entries(ENTRY_POINTS)) {
    const source = program.getSourceFile(join(REPO_ROOT, file));
    if (!source) throw new Error(`entry point ${file} is not part of the program`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`entry point ${file} has no exports`);
    addModule(`${specifier}:`, moduleSymbol);
  }
  return items;
}

/** The leading comment of a module file (`/** ... *\/` before the first statement). */
function namespaceDoc(file: ts.SourceFile): string {
  const ranges = ts.getLeadingCommentRanges(file.text, 0) ?? [];
  return ranges
    .map((r) => file.text.slice(r.pos, r.end))
    .filter((c) => c.startsWith('/**'))
    .join('\n')
    .replace(/^\/\*\*|\*\/$/g, '')
    .trim();
}
