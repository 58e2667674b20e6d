/** One canonical file the files check sends as bytes in a user message. */
export interface ConformanceFile {
  /** What the test names call it (`a PDF`). */
  label: string;
  mediaType: string;
  filename: string;
  bytes: Uint8Array;
  /** What must appear in the request the vendor received: the base64 of the bytes, or for text also the text itself. */
  evidence: string[];
}

const TEXT = 'The kettle in the conformance notes is blue.';

/** A one-page PDF 1.4 that shows `text`, with a correct cross-reference table. */
function pdf(text: string): Uint8Array {
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const [index, object] of objects.entries()) {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  }
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, 'latin1'));
}

/** A RIFF/WAVE file: 16-bit mono PCM at 8 kHz, a few samples of a small wave. */
function wav(samples: readonly number[]): Uint8Array {
  const data = samples.length * 2;
  const buffer = Buffer.alloc(44 + data);
  buffer.write('RIFF', 0, 'ascii');
  buffer.writeUInt32LE(36 + data, 4);
  buffer.write('WAVE', 8, 'ascii');
  buffer.write('fmt ', 12, 'ascii');
  buffer.writeUInt32LE(16, 16); // fmt chunk size
  buffer.writeUInt16LE(1, 20); // PCM
  buffer.writeUInt16LE(1, 22); // mono
  buffer.writeUInt32LE(8000, 24); // sample rate
  buffer.writeUInt32LE(16000, 28); // byte rate
  buffer.writeUInt16LE(2, 32); // block align
  buffer.writeUInt16LE(16, 34); // bits per sample
  buffer.write('data', 36, 'ascii');
  buffer.writeUInt32LE(data, 40);
  for (const [index, sample] of samples.entries()) buffer.writeInt16LE(sample, 44 + index * 2);
  return new Uint8Array(buffer);
}

function file(input: Omit<ConformanceFile, 'evidence'>, text?: string): ConformanceFile {
  const base64 = Buffer.from(input.bytes).toString('base64');
  return { ...input, evidence: text === undefined ? [base64] : [base64, text] };
}

/** The files the files check sends: a PDF, a plain text file and a WAV clip. */
export const CONFORMANCE_FILES: readonly ConformanceFile[] = [
  file({ label: 'a PDF', mediaType: 'application/pdf', filename: 'conformance.pdf', bytes: pdf(TEXT) }),
  file({ label: 'a plain text file', mediaType: 'text/plain', filename: 'conformance.txt', bytes: new Uint8Array(Buffer.from(TEXT, 'utf8')) }, TEXT),
  file({ label: 'a WAV clip', mediaType: 'audio/wav', filename: 'conformance.wav', bytes: wav([0, 9000, 16000, 9000, 0, -9000, -16000, -9000]) }),
];
