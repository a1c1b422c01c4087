/**
 * The one typed event channel between React and Phaser. React sends commands (touch buttons, pause, finish);
 * Phaser reports through the zustand store. No string events without a type.
 */
import type { Action } from "../../sim/index.js";

export interface BusEvents {
  press: Action;
  release: Action;
  togglePause: void;
  finish: void;
}

type Handler<T> = (payload: T) => void;

class Bus {
  private readonly handlers = new Map<keyof BusEvents, Set<Handler<never>>>();

  on<K extends keyof BusEvents>(event: K, handler: Handler<BusEvents[K]>): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler as Handler<never>);
    return () => {
      set.delete(handler as Handler<never>);
    };
  }

  emit<K extends keyof BusEvents>(event: K, payload: BusEvents[K]): void {
    this.handlers.get(event)?.forEach((h) => (h as Handler<BusEvents[K]>)(payload));
  }
}

export const bus = new Bus();
