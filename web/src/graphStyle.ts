// How the topology graph looks: one shape and colour per kind of object.
import type { StylesheetJson } from 'cytoscape';

export const graphStyle: StylesheetJson = [
  { selector: 'node', style: { label: 'data(label)', 'text-wrap': 'wrap', 'font-size': 10, 'text-valign': 'bottom', 'text-margin-y': 3, width: 26, height: 26, 'background-color': '#888', color: '#222' } },
  { selector: '.network', style: { shape: 'round-rectangle', 'background-color': '#3b82f6', width: 44 } },
  { selector: '.external', style: { 'background-color': '#16a34a', width: 56, height: 30 } },
  { selector: '.subnet', style: { shape: 'round-tag', 'background-color': '#93c5fd', width: 20, height: 20 } },
  { selector: '.router', style: { shape: 'diamond', 'background-color': '#f59e0b', width: 34, height: 34 } },
  { selector: '.port', style: { 'background-color': '#a78bfa', width: 12, height: 12, 'font-size': 8 } },
  { selector: '.instance', style: { shape: 'round-rectangle', 'background-color': '#6d28d9' } },
  { selector: '.instance.down', style: { 'background-color': '#b91c1c' } },
  { selector: '.fip', style: { shape: 'tag', 'background-color': '#ea580c', width: 18, height: 18 } },
  { selector: '.host', style: { shape: 'round-rectangle', 'background-color': '#f1f5f9', 'border-color': '#64748b', 'border-width': 1, 'text-valign': 'top', 'font-weight': 'bold', 'font-size': 12 } },
  { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#0f172a' } },
  { selector: 'edge', style: { width: 1.5, 'line-color': '#94a3b8', label: 'data(label)', 'font-size': 8, color: '#475569', 'text-background-color': '#fff', 'text-background-opacity': 0.8, 'curve-style': 'bezier' } },
];
