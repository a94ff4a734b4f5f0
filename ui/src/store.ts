// The UI's one store: view state shared between pages and components. Server data stays in the
// GraphQL client's cache; only what the user chose lives here.
import { create } from "zustand";

export type FocusDirection = "upstream" | "downstream" | "both";

export interface UiState {
  /** Groups drawn expanded; null until the user chooses (small graphs start expanded). */
  expandedGroups: Set<string> | null;
  selection: Set<string>;
  search: string;
  /** Bumped when server data about assets changed (a launch, a code location reload). */
  assetsVersion: number;
  bumpAssets: () => void;
  focus: { key: string; direction: FocusDirection } | null;
  toggleGroup: (group: string, shown: ReadonlySet<string>) => void;
  setExpandedGroups: (groups: Iterable<string>) => void;
  select: (key: string, additive: boolean) => void;
  setSelection: (keys: Iterable<string>) => void;
  setSearch: (search: string) => void;
  setFocus: (focus: UiState["focus"]) => void;
}

export const useUi = create<UiState>((set) => ({
  expandedGroups: null,
  selection: new Set(),
  search: "",
  assetsVersion: 0,
  bumpAssets: () => set((s) => ({ assetsVersion: s.assetsVersion + 1 })),
  focus: null,
  toggleGroup: (group, shown) =>
    set(() => {
      const next = new Set(shown);
      if (next.has(group)) next.delete(group);
      else next.add(group);
      return { expandedGroups: next };
    }),
  setExpandedGroups: (groups) => set({ expandedGroups: new Set(groups) }),
  select: (key, additive) =>
    set((s) => {
      const next = new Set(additive ? s.selection : []);
      if (additive && s.selection.has(key)) next.delete(key);
      else next.add(key);
      return { selection: next };
    }),
  setSelection: (keys) => set({ selection: new Set(keys) }),
  setSearch: (search) => set({ search }),
  setFocus: (focus) => set({ focus }),
}));
