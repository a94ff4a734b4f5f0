// A CodeMirror YAML editor whose linter reports YAML syntax errors inline (and any extra
// problems a caller's validate function finds in the parsed value).
import { useEffect, useRef } from "react";
import { EditorView, basicSetup } from "codemirror";
import { yaml } from "@codemirror/lang-yaml";
import { linter, lintGutter, type Diagnostic } from "@codemirror/lint";
import { parseDocument } from "yaml";

export type Validate = (value: unknown) => { message: string; path: (string | number)[] }[];

interface Props {
  value: string;
  onChange: (text: string) => void;
  onProblems?: (messages: string[]) => void;
  validate?: Validate;
}

export function YamlEditor({ value, onChange, onProblems, validate }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const callbacks = useRef({ onChange, onProblems, validate });
  callbacks.current = { onChange, onProblems, validate };

  useEffect(() => {
    const check = linter((v) => {
      const text = v.state.doc.toString();
      const doc = parseDocument(text);
      const out: Diagnostic[] = doc.errors.map((e) => ({
        from: Math.min(e.pos[0], text.length),
        to: Math.min(Math.max(e.pos[1], e.pos[0] + 1), text.length),
        severity: "error",
        message: e.message.split("\n")[0],
      }));
      if (!doc.errors.length && callbacks.current.validate) {
        for (const problem of callbacks.current.validate(doc.toJS())) {
          const node = doc.getIn(problem.path, true) as { range?: [number, number] } | undefined;
          const [from, to] = node?.range ?? [0, Math.min(text.length, 1)];
          out.push({ from, to: Math.max(to, from + 1), severity: "error", message: problem.message });
        }
      }
      callbacks.current.onProblems?.(out.map((d) => d.message));
      return out;
    }, { delay: 200 });
    view.current = new EditorView({
      doc: value,
      parent: host.current!,
      extensions: [
        basicSetup,
        yaml(),
        lintGutter(),
        check,
        EditorView.updateListener.of((u) => {
          if (u.docChanged) callbacks.current.onChange(u.state.doc.toString());
        }),
      ],
    });
    return () => view.current?.destroy();
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  return <div ref={host} data-testid="yaml-editor" />;
}
