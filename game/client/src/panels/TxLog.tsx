/** The last transactions and where each one is: waiting for a signature, pending, confirmed or failed (why). */
import { useState } from "react";
import { useTxLog, type TxState } from "../chain/txlog.js";

const WORDS: Record<TxState, string> = {
  signing: "waiting for your signature…",
  pending: "sent, waiting to be mined…",
  confirmed: "confirmed",
  failed: "failed",
};

export function TxLog() {
  const entries = useTxLog((s) => s.entries);
  const clear = useTxLog((s) => s.clear);
  // Only the newest entry shows unless opened: the box stays small whatever failed before.
  const [open, setOpen] = useState(false);
  if (entries.length === 0) return null;
  return (
    <aside className={open ? "txlog open" : "txlog"} data-testid="txlog" aria-live="polite">
      <div className="row">
        <b>Transactions</b>
        {entries.length > 1 && (
          <button className="link" onClick={() => setOpen(!open)} aria-expanded={open}>
            {open ? "newest only" : `${entries.length - 1} earlier`}
          </button>
        )}
        <button className="link" onClick={clear}>
          clear
        </button>
      </div>
      <ul>
        {entries.map((e) => (
          <li key={e.id} className={`tx tx-${e.state}`} data-state={e.state}>
            <span>{e.label}</span>: <span>{WORDS[e.state]}</span>
            {e.hash && <span className="mono small"> {e.hash.slice(0, 10)}…</span>}
            {e.message && <div className="error">{e.message}</div>}
          </li>
        ))}
      </ul>
    </aside>
  );
}
