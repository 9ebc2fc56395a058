/**
 * The kiosk's side effects on the server: one function per placeholder the flows declare, over the
 * contract's `api()` client. kiosk/main.tsx provides them to the machines.
 */
import type { HallInfo, TicketView } from '../server/contract/api.ts';
import { ApiError, api, type FetchLike } from '../server/contract/client.ts';
import {
  type AccountSummary,
  type AddOnPack,
  CUSTOMER_TOKEN_HEADER,
  type FeedbackAnswer,
  type FeedbackRequest,
  type IdentifyAnswer,
  type IdentifyDeviceRequest,
  type IdentifyPhoneAnswer,
  type IdentifyPhoneRequest,
  type IdentifyVerifyRequest,
  type InvoiceAnswer,
  KIOSK_ID_HEADER,
  type KioskView,
  type Order,
} from '../server/contract/kiosk.ts';
import type { KioskSetup } from './flows/kiosk.machine.ts';
import type { OrderAttempt } from './flows/self-service.machine.ts';
import type { TicketRequest } from './flows/ticket.machine.ts';

/** Used when the server does not know this kiosk: it still works, without devices it cannot name. */
export function defaultKioskView(kioskId: string, hall: HallInfo): KioskView {
  return {
    id: kioskId,
    idleSeconds: 30,
    warningSeconds: 10,
    complaintsServiceId: hall.services.find((s) => s.id === 'complaints')?.id ?? null,
    topUpAmountsFen: [3_000, 5_000, 10_000],
    devices: [],
  };
}

/**
 * `deviceToken`: outside demo mode the server serves only paired kiosks; the token comes from the CLI
 * (`npm run hallq -- kiosk-token k1`) and proves this screen is that kiosk.
 */
export function kioskApi(kioskId: string, fetch?: FetchLike, deviceToken?: string | null) {
  const asKiosk: Record<string, string> = {
    [KIOSK_ID_HEADER]: kioskId,
    ...(deviceToken ? { authorization: `Bearer ${deviceToken}` } : {}),
  };
  const asCustomer = (token: string) => ({ ...asKiosk, [CUSTOMER_TOKEN_HEADER]: token });
  const path = (...parts: string[]) => parts.map(encodeURIComponent).join('/');

  return {
    async loadKiosk(): Promise<KioskSetup> {
      const hall = await api<HallInfo>('/hall', { fetch });
      const kiosk = await api<KioskView>(`/kiosks/${path(kioskId)}`, { fetch }).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return defaultKioskView(kioskId, hall);
        throw error;
      });
      return { hall, kiosk };
    },

    /** Walk-in or appointment; the Idempotency-Key makes a retried attempt answer with the same ticket. */
    issueTicket(request: TicketRequest): Promise<TicketView> {
      const headers = { ...asKiosk, 'Idempotency-Key': request.attemptKey };
      if (request.kind === 'appointment') {
        const body = 'code' in request ? { code: request.code } : { readId: request.readId };
        return api<TicketView>('/appointments/check-in', {
          fetch,
          headers,
          body: { ...body, lang: request.lang },
        });
      }
      // The customer's tier travels in their token, never in the body: the server takes it from there.
      const { customer } = request;
      return api<TicketView>('/tickets', {
        fetch,
        headers: customer ? { ...headers, [CUSTOMER_TOKEN_HEADER]: customer.token } : headers,
        body: { serviceId: request.serviceId, channel: 'kiosk', lang: request.lang },
      });
    },

    fetchTicket: ({ id }: { id: string }) => api<TicketView>(`/tickets/${path(id)}`, { fetch }),

    // Every identification names the kiosk: the customer's token is good at this kiosk only.
    requestCode: (body: IdentifyPhoneRequest) =>
      api<IdentifyPhoneAnswer>('/identify/phone', { fetch, body, headers: asKiosk }),
    verifyCode: async (body: IdentifyVerifyRequest) =>
      (await api<IdentifyAnswer>('/identify/verify', { fetch, body, headers: asKiosk })).customer,
    redeemDeviceRead: async (body: IdentifyDeviceRequest) =>
      (await api<IdentifyAnswer>('/identify/device', { fetch, body, headers: asKiosk })).customer,

    sendFeedback: (body: FeedbackRequest) =>
      api<FeedbackAnswer>('/feedback', { fetch, body, headers: asKiosk }),

    loadAccount: ({ token }: { token: string }) =>
      api<AccountSummary>('/self-service/account', { fetch, headers: asCustomer(token) }),
    loadPacks: ({ token }: { token: string }) =>
      api<AddOnPack[]>('/self-service/packs', { fetch, headers: asCustomer(token) }),
    createOrder: ({ token, request, attemptKey }: OrderAttempt & { token: string }) =>
      api<Order>('/self-service/orders', {
        fetch,
        body: request,
        headers: { ...asCustomer(token), 'Idempotency-Key': attemptKey },
      }),
    fetchOrder: ({ token, orderId }: { token: string; orderId: string }) =>
      api<Order>(`/self-service/orders/${path(orderId)}`, { fetch, headers: asCustomer(token) }),
    cancelOrder: ({ token, orderId }: { token: string; orderId: string }) =>
      api<Order>(`/self-service/orders/${path(orderId)}/cancel`, {
        fetch,
        method: 'POST',
        headers: asCustomer(token),
      }),
    printInvoice: ({ token, period }: { token: string; period: string }) =>
      api<InvoiceAnswer>('/self-service/invoices', { fetch, body: { period }, headers: asCustomer(token) }),
  };
}

export type KioskApi = ReturnType<typeof kioskApi>;
