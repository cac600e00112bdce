import type { Strategy } from './selector';

/** roundRobin hands out the nodes in turn, so calls spread evenly over long-lived HTTP/2 connections. */
export const roundRobin: Strategy = (nodes) => {
  let i = 0;
  return () => (nodes.length === 0 ? undefined : nodes[i++ % nodes.length]);
};
