import { useRoute } from "./hooks";
import { LedgerPage } from "./pages/Ledger";
import { LineagePage } from "./pages/Lineage";
import { ReleasePage, ReleasesPage } from "./pages/Releases";
import { RunPage, RunsPage } from "./pages/Runs";

const SECTIONS = [
  { path: "runs", title: "Runs" },
  { path: "releases", title: "Releases" },
  { path: "ledger", title: "Ledger" },
  { path: "lineage", title: "Lineage" },
] as const;

export function App() {
  const [section = "runs", id] = useRoute();
  return (
    <>
      <header>
        <a className="brand" href="#/runs">
          Rampart
        </a>
        <nav>
          {SECTIONS.map((s) => (
            <a key={s.path} href={`#/${s.path}`} aria-current={section === s.path ? "page" : undefined}>
              {s.title}
            </a>
          ))}
        </nav>
      </header>
      <main>{page(section, id)}</main>
    </>
  );
}

function page(section: string, id: string | undefined) {
  switch (section) {
    case "runs":
      return id ? <RunPage id={id} /> : <RunsPage />;
    case "releases":
      return id ? <ReleasePage id={id} /> : <ReleasesPage />;
    case "ledger":
      return <LedgerPage />;
    case "lineage":
      return <LineagePage target={id} />;
    default:
      return <p className="error">No page “{section}”.</p>;
  }
}
