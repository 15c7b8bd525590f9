/**
 * The SQL editor: CodeMirror 6 with PostgreSQL highlighting, completion of the database's
 * table and column names, the run shortcuts, and errors shown where the engine points.
 */
import { basicSetup, EditorView } from 'codemirror';
import { PostgreSQL, sql, type SQLNamespace } from '@codemirror/lang-sql';
import { setDiagnostics } from '@codemirror/lint';
import { Compartment, EditorSelection, Prec } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { errorRange } from './ranges.js';
import type { EngineError, Schema } from './protocol.js';

export interface EditorHooks {
  /** `Mod-Enter`: run the statement at the cursor. */
  runStatement: () => void;
  /** `Shift-Mod-Enter`: run the whole script. */
  runAll: () => void;
  changed: (doc: string) => void;
}

export class SqlEditor {
  readonly view: EditorView;
  private readonly language = new Compartment();

  constructor(parent: HTMLElement, doc: string, hooks: EditorHooks) {
    const run = (fn: () => void) => (): boolean => {
      fn();
      return true;
    };
    this.view = new EditorView({
      parent,
      doc,
      extensions: [
        // Above the default keymap, which binds Mod-Enter to inserting a blank line.
        Prec.highest(
          keymap.of([
            { key: 'Mod-Enter', run: run(hooks.runStatement) },
            { key: 'Shift-Mod-Enter', run: run(hooks.runAll) },
          ]),
        ),
        basicSetup,
        this.language.of(sql({ dialect: PostgreSQL, upperCaseKeywords: true })),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) hooks.changed(u.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ 'aria-label': 'SQL editor' }),
      ],
    });
  }

  get doc(): string {
    return this.view.state.doc.toString();
  }

  get cursor(): number {
    return this.view.state.selection.main.head;
  }

  setDoc(doc: string): void {
    this.view.dispatch({
      changes: { from: 0, to: this.view.state.doc.length, insert: doc },
      selection: EditorSelection.cursor(0),
      scrollIntoView: true,
    });
  }

  /** Completes the names of these relations and their columns. */
  setSchema(schema: Schema): void {
    const namespace: Record<string, SQLNamespace> = {};
    for (const r of schema.relations)
      namespace[r.name] = {
        self: { label: r.name, type: 'type', detail: r.kind },
        children: r.columns.map((c) => ({ label: c.name, type: 'property', detail: c.type })),
      };
    this.view.dispatch({
      effects: this.language.reconfigure(
        sql({ dialect: PostgreSQL, upperCaseKeywords: true, schema: namespace }),
      ),
    });
  }

  showError(e: EngineError | undefined): void {
    const doc = this.doc;
    const diagnostics = e
      ? [{ ...errorRange(doc, e), severity: 'error' as const, message: `${e.code}: ${e.message}` }]
      : [];
    this.view.dispatch(setDiagnostics(this.view.state, diagnostics));
  }

  /** Puts the cursor at `pos` and focuses the editor. */
  focusAt(pos: number): void {
    this.view.dispatch({
      selection: EditorSelection.cursor(Math.min(pos, this.view.state.doc.length)),
      scrollIntoView: true,
    });
    this.view.focus();
  }

  insertAtCursor(text: string): void {
    const { from, to } = this.view.state.selection.main;
    this.view.dispatch({
      changes: { from, to, insert: text },
      selection: EditorSelection.cursor(from + text.length),
    });
    this.view.focus();
  }
}
