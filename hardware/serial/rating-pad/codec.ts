import { accept, refuse, TOKEN } from '../codecs.ts';
import { type LineCodec, NAK } from '../line-protocol.ts';

/** SERVQUAL's five dimensions of service quality, as the rating pad names them. */
export const SERVQUAL_DIMENSIONS = [
  'reliability',
  'responsiveness',
  'assurance',
  'empathy',
  'tangibles',
] as const;
export type ServqualDimension = (typeof SERVQUAL_DIMENSIONS)[number];

/** HallQ → rating pad (评价器): ask the customer of this ticket to rate the service. */
export type RatingRequest = { ticketNumber: string };

/** Rating pad → HallQ: an overall score 1–5 and optional per-dimension scores. */
export type RatingReport = {
  ticketNumber: string;
  score: number;
  dimensions: Partial<Record<ServqualDimension, number>>;
};

function scoreOf(text: string | undefined): number | null {
  return text && /^[1-5]$/.test(text) ? Number(text) : null;
}

export const ratingRequests: LineCodec<RatingRequest> = {
  decode(message) {
    if (message.verb !== 'ASK') return refuse(NAK.unknownVerb, `unknown verb ${message.verb}`);
    const [ticketNumber, ...rest] = message.args;
    if (!ticketNumber || rest.length > 0 || !TOKEN.test(ticketNumber)) {
      return refuse(NAK.badArgs, 'ASK takes one ticket number');
    }
    return accept({ ticketNumber });
  },
  encode: ({ ticketNumber }) => ({ verb: 'ASK', args: [ticketNumber] }),
};

export const ratingReports: LineCodec<RatingReport> = {
  decode(message) {
    if (message.verb !== 'RATE') return refuse(NAK.unknownVerb, `unknown verb ${message.verb}`);
    const [ticketNumber, scoreText, ...pairs] = message.args;
    const score = scoreOf(scoreText);
    if (!ticketNumber || !TOKEN.test(ticketNumber) || score === null) {
      return refuse(NAK.badArgs, 'RATE takes a ticket number and a score 1–5');
    }
    const dimensions: Partial<Record<ServqualDimension, number>> = {};
    for (const pair of pairs) {
      const [name, value, ...extra] = pair.split('=');
      const dimension = SERVQUAL_DIMENSIONS.find((d) => d === name);
      const dimensionScore = scoreOf(value);
      if (!dimension || dimensionScore === null || extra.length > 0 || dimension in dimensions) {
        return refuse(NAK.badArgs, `not a new dimension=score (1–5): ${pair}`);
      }
      dimensions[dimension] = dimensionScore;
    }
    return accept({ ticketNumber, score, dimensions });
  },
  encode: ({ ticketNumber, score, dimensions }) => ({
    verb: 'RATE',
    args: [
      ticketNumber,
      String(score),
      ...SERVQUAL_DIMENSIONS.flatMap((d) => (dimensions[d] === undefined ? [] : [`${d}=${dimensions[d]}`])),
    ],
  }),
};
