/** The header's sound switch (remembered in localStorage; M toggles it during a run). */
import { useSound } from "./sound.js";

export function SoundToggle() {
  const muted = useSound((s) => s.muted);
  const setMuted = useSound((s) => s.setMuted);
  return (
    <button
      className="sound-toggle"
      data-testid="sound-toggle"
      aria-pressed={!muted}
      title={muted ? "Sound is off: press to turn it on (M during a run)" : "Sound is on: press to mute (M during a run)"}
      onClick={(e) => {
        setMuted(!muted);
        // A mouse or tap click gives the focus back to the page, so Enter or Space during a run stays with the game.
        if (e.detail > 0) e.currentTarget.blur();
      }}
    >
      {muted ? "♪ Sound off" : "♪ Sound on"}
    </button>
  );
}
