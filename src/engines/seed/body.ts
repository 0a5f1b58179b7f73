import type { Rng } from './prng.js';

// The WebIM served customer-service chats about quotes, orders and shipments (the WebIM post-mortem).
const WORDS = (
  'quote order shipment container price freight invoice please confirm the customer delivery date ' +
  'Sydney Melbourne Brisbane port warehouse pallet carton sample tracking number payment received ' +
  'thanks we will check update tomorrow morning today ETA vessel booking customs clearance ' +
  'discount volume urgent approved pending revised attached spec size colour quantity unit FOB CIF'
).split(' ');

/** A chat line of realistic length: mostly short, sometimes a paragraph (20–400 characters). */
export function messageBody(rng: Rng): string {
  const target = rng.chance(0.85) ? rng.int(20, 120) : rng.int(120, 400);
  let text = rng.pick(WORDS);
  while (text.length < target) text += ` ${rng.pick(WORDS)}`;
  return text.slice(0, target);
}
