import { describe, expect, it } from 'vitest';
import { CONFORMANCE_FILES } from './conformance-files.js';

const byType = (mediaType: string) => {
  const file = CONFORMANCE_FILES.find((candidate) => candidate.mediaType === mediaType);
  if (!file) throw new Error(`no ${mediaType} file`);
  return { ...file, buffer: Buffer.from(file.bytes) };
};

describe('the files the files check sends', () => {
  it('a PDF whose cross-reference table points at its objects', () => {
    const { buffer, evidence } = byType('application/pdf');
    const text = buffer.toString('latin1');
    expect(text.startsWith('%PDF-1.4\n')).toBe(true);
    expect(text.endsWith('%%EOF\n')).toBe(true);
    const startxref = Number(/startxref\n(\d+)\n/.exec(text)?.[1]);
    expect(text.slice(startxref, startxref + 4)).toBe('xref');
    const offsets = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((match) => Number(match[1]));
    expect(offsets).toHaveLength(5);
    offsets.forEach((offset, index) => expect(text.slice(offset).startsWith(`${index + 1} 0 obj`)).toBe(true));
    expect(evidence).toEqual([buffer.toString('base64')]);
  });

  it('a RIFF/WAVE clip: 16-bit mono PCM with its sizes right', () => {
    const { buffer } = byType('audio/wav');
    expect(buffer.toString('ascii', 0, 4)).toBe('RIFF');
    expect(buffer.readUInt32LE(4)).toBe(buffer.length - 8);
    expect(buffer.toString('ascii', 8, 16)).toBe('WAVEfmt ');
    expect({ format: buffer.readUInt16LE(20), channels: buffer.readUInt16LE(22), bits: buffer.readUInt16LE(34) }).toEqual({ format: 1, channels: 1, bits: 16 });
    expect(buffer.toString('ascii', 36, 40)).toBe('data');
    expect(buffer.readUInt32LE(40)).toBe(buffer.length - 44);
    expect(buffer.length).toBeGreaterThan(44);
  });

  it('a text file found by its base64 or its text', () => {
    const { buffer, evidence } = byType('text/plain');
    expect(evidence).toEqual([buffer.toString('base64'), buffer.toString('utf8')]);
  });
});
