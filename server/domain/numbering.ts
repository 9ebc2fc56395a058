/** A ticket number: the service prefix and three digits (A001…A999), then four (A1000…). */
export function formatTicketNumber(prefix: string, sequence: number): string {
  return `${prefix}${String(sequence).padStart(3, '0')}`;
}
