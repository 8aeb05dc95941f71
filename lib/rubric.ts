/**
 * A rubric's dimensions, declared in front matter at the top of the rubric file:
 *
 * ```text
 * ---
 * scale: 1-10
 * dimensions:
 *   - name: helpfulness
 *     question: Does the answer help the user do what they asked?
 *     anchors:
 *       10: Fully solves the task.
 *       5: Partly helps.
 *       1: No help at all.
 *   - name: brevity
 *     question: Is the answer as short as it can be?
 *     note: 10 is the right amount; longer is not better.
 * ---
 * ```
 *
 * `name` is snake_case; `question` is required; `anchors` (score → text) and `note`
 * (for "right amount" dimensions, where the top score is the ideal, not "more") are
 * optional; `scale` is `1-5` (the default), any integer range or `binary`, for the
 * whole rubric. A rubric without front matter scores the kit's five dimensions on 1–5.
 * The front matter is part of the file, so a change of dimensions is a new prompt sha256.
 *
 * The front matter is a small subset of YAML: `key: value` lines, nested by two-space
 * indentation, and `- ` list items; values are plain or quoted text.
 *
 * @module
 */
import { z } from "zod";
import { inputError, type InputIssue } from "./_errors.ts";
import { readTextInput } from "./io/_text.ts";
import {
  DEFAULT_DIMENSION_SET,
  DEFAULT_SCALE,
  type DimensionSet,
  isDimensionName,
  parseScale,
  type Scale,
} from "./dimensions.ts";

/** One declared dimension. */
export interface RubricDimension {
  name: string;
  question: string;
  /** Anchor texts by score, e.g. `{ 5: "…", 3: "…", 1: "…" }`. */
  anchors: Record<number, string>;
  note?: string;
}

/** A rubric's declared dimensions and scale. */
export interface RubricDimensions extends DimensionSet {
  /** The declared dimensions with their questions and anchors; null without front matter. */
  declared: RubricDimension[] | null;
  /** The line after the front matter (1 without any): where the prompt text starts. */
  bodyLine: number;
  /** The text after the front matter. */
  body: string;
}

type Node = string | Node[] | { [key: string]: Node };

interface Line {
  n: number;
  indent: number;
  text: string;
}

function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t.at(-1) === t[0]) {
    return t[0] === '"' ? JSON.parse(t) : t.slice(1, -1).replaceAll("''", "'");
  }
  return t;
}

function parseBlock(
  lines: Line[],
  start: number,
  indent: number,
  issues: string[],
): [Node, number] {
  let i = start;
  if (lines[i]?.text.startsWith("- ") || lines[i]?.text === "-") {
    const list: Node[] = [];
    while (i < lines.length && lines[i].indent === indent && lines[i].text.startsWith("-")) {
      const rest = lines[i].text.slice(1).trimStart();
      const inner = indent + 2;
      const head: Line[] = rest ? [{ n: lines[i].n, indent: inner, text: rest }] : [];
      let j = i + 1;
      while (j < lines.length && lines[j].indent >= inner) j++;
      const sub = [...head, ...lines.slice(i + 1, j)];
      if (sub.length === 0) list.push("");
      else if (sub.length === 1 && !/^[^:]+:(\s|$)/.test(sub[0].text)) {
        list.push(unquote(sub[0].text));
      } else list.push(parseBlock(sub, 0, inner, issues)[0]);
      i = j;
    }
    return [list, i];
  }
  const map: Record<string, Node> = {};
  while (i < lines.length && lines[i].indent === indent) {
    const m = /^([^:]+?):(?:\s+(.*))?$/.exec(lines[i].text);
    if (!m) {
      issues.push(`line ${lines[i].n}: expected "key: value"`);
      i++;
      continue;
    }
    const key = unquote(m[1]);
    if (m[2] !== undefined && m[2].trim() !== "") {
      map[key] = unquote(m[2]);
      i++;
    } else if (i + 1 < lines.length && lines[i + 1].indent > indent) {
      const [node, next] = parseBlock(lines, i + 1, lines[i + 1].indent, issues);
      map[key] = node;
      i = next;
    } else {
      map[key] = "";
      i++;
    }
  }
  if (i < lines.length && lines[i].indent > indent) {
    issues.push(`line ${lines[i].n}: unexpected indentation`);
  }
  return [map, i];
}

/** Parse front-matter text (the subset of YAML above) into nested objects, lists and strings. */
export function parseFrontMatter(text: string, firstLine = 1): { value: Node; issues: string[] } {
  const lines: Line[] = [];
  text.split(/\r?\n/).forEach((raw, k) => {
    if (raw.trim() === "" || raw.trimStart().startsWith("#")) return;
    lines.push({ n: firstLine + k, indent: raw.length - raw.trimStart().length, text: raw.trim() });
  });
  const issues: string[] = [];
  if (lines.length === 0) return { value: {}, issues };
  let i = 0;
  let value: Node = {};
  while (i < lines.length) {
    const [node, next] = parseBlock(lines, i, lines[i].indent, issues);
    if (i === 0) value = node;
    if (next === i) {
      issues.push(`line ${lines[i].n}: unexpected indentation`);
      i++;
    } else i = next;
  }
  return { value, issues };
}

const DimensionNode = z.object({
  name: z.string().refine(isDimensionName, "expected a snake_case name (a-z, 0-9, _)"),
  question: z.string().min(1, "required: the question this dimension answers"),
  anchors: z.record(z.string().regex(/^-?\d+$/, "expected an integer score"), z.string())
    .optional(),
  note: z.string().optional(),
}).strict();

const FrontMatter = z.object({
  scale: z.string().optional(),
  dimensions: z.array(DimensionNode).min(1, "declare at least one dimension"),
}).strict();

function checkDeclared(
  fm: z.infer<typeof FrontMatter>,
  scale: Scale,
  problems: string[],
): RubricDimension[] {
  const seen = new Set<string>();
  return fm.dimensions.map((d, i) => {
    if (seen.has(d.name)) problems.push(`dimensions[${i}].name: "${d.name}" is declared twice`);
    seen.add(d.name);
    const anchors: Record<number, string> = {};
    for (const [k, v] of Object.entries(d.anchors ?? {})) {
      const s = Number(k);
      if (s < scale.min || s > scale.max) {
        problems.push(`dimensions[${i}].anchors.${k}: outside the scale ${scale.min}–${scale.max}`);
      }
      anchors[s] = v;
    }
    return { name: d.name, question: d.question, anchors, ...(d.note ? { note: d.note } : {}) };
  });
}

/**
 * Split a rubric's text into its declared dimensions and the rest.
 *
 * @param text The rubric file's text.
 * @param path The file, for messages.
 * @throws {TypeError} `Cannot read "F": line N: field: problem` for bad front matter.
 */
export function parseRubricDimensions(text: string, path: string): RubricDimensions {
  const m = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(\r?\n|$)/.exec(text);
  if (!m) {
    return { ...DEFAULT_DIMENSION_SET, declared: null, bodyLine: 1, body: text };
  }
  const bodyLine = m[0].split("\n").length + (m[2] ? 0 : 1);
  const issue = (line: number, problem: string, field?: string): InputIssue => ({
    file: path,
    line,
    ...(field ? { field } : {}),
    problem,
    kind: "type",
  });
  const { value, issues } = parseFrontMatter(m[1], 2);
  if (issues.length > 0) {
    throw inputError(issues.map((s) => {
      const [, n, p] = /^line (\d+): (.*)$/.exec(s)!;
      return issue(Number(n), p);
    }));
  }
  const parsed = FrontMatter.safeParse(value);
  if (!parsed.success) {
    throw inputError(
      parsed.error.issues.map((i) =>
        issue(1, i.message, i.path.length ? i.path.join(".") : undefined)
      ),
    );
  }
  let scale = DEFAULT_SCALE;
  if (parsed.data.scale !== undefined) {
    try {
      scale = parseScale(parsed.data.scale);
    } catch (e) {
      throw inputError([issue(1, (e as Error).message, "scale")]);
    }
  }
  const problems: string[] = [];
  const declared = checkDeclared(parsed.data, scale, problems);
  if (problems.length > 0) {
    throw inputError(problems.map((p) => {
      const [field, ...rest] = p.split(": ");
      return issue(1, rest.join(": "), field);
    }));
  }
  return {
    dimensions: declared.map((d) => d.name),
    scale,
    declared,
    bodyLine,
    body: text.slice(m[0].length),
  };
}

/**
 * Read a rubric file's dimension set.
 *
 * @throws {TypeError} When the file cannot be read or its front matter is bad.
 */
export async function loadRubricDimensions(path: string): Promise<RubricDimensions> {
  return parseRubricDimensions(await readTextInput(path), path);
}
