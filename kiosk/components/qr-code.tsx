import { encode } from 'uqr';

/**
 * A QR code as one SVG path (crisp at any size, no innerHTML). Error correction M survives a smudged
 * screen or a phone held at an angle; the quiet zone is part of the drawing.
 */
export function QrCode({ value, label, size = 240 }: { value: string; label: string; size?: number }) {
  const qr = encode(value, { ecc: 'M', border: 2 });
  let d = '';
  qr.data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) d += `M${x} ${y}h1v1h-1z`;
    });
  });
  return (
    <svg
      class="qr"
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox={`0 0 ${qr.size} ${qr.size}`}
      shape-rendering="crispEdges"
      data-value={value}
    >
      <rect width={qr.size} height={qr.size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
