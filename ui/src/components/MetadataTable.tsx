export interface Entry {
  label: string;
  kind: string;
  value: unknown;
}

function show(entry: Entry) {
  if (entry.kind === "url" && typeof entry.value === "string") return <a href={entry.value}>{entry.value}</a>;
  if (typeof entry.value === "object" && entry.value !== null) return <pre className="code">{JSON.stringify(entry.value, null, 2)}</pre>;
  return String(entry.value);
}

export function MetadataTable({ entries }: { entries: Entry[] }) {
  if (!entries.length) return null;
  return (
    <table className="simple" style={{ marginTop: 10 }}>
      <tbody>
        {entries.map((e) => (
          <tr key={e.label}><th>{e.label}</th><td>{show(e)}</td></tr>
        ))}
      </tbody>
    </table>
  );
}
