/** What every scene gets from the React side: the run and the store to report into. */
import type { RunController } from "../run.js";

export interface GameContext {
  controller: RunController;
}
