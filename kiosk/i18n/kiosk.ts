/** Every string the kiosk shows, in Chinese and English. */
import type { CheckInRefusal } from '../../server/contract/kiosk.ts';
import type { ProblemCode } from '../flows/retry.ts';
import type { Strings, Text } from './index.ts';

export const s = {
  // shell
  home: { zh: '首页', en: 'Home' },
  back: { zh: '返回', en: 'Back' },
  done: { zh: '完成', en: 'Done' },
  cancel: { zh: '取消', en: 'Cancel' },
  retry: { zh: '重试', en: 'Try again' },
  connecting: { zh: '正在连接…', en: 'Connecting…' },
  reconnecting: { zh: '正在重新连接…', en: 'Reconnecting…' },
  offlineBadge: { zh: '网络连接中断，正在恢复', en: 'Connection lost, restoring' },
  stillThere: { zh: '还在吗？', en: 'Still there?' },
  stillThereDetail: {
    zh: '没有操作的话，{n} 秒后将返回首页并清除您的信息。',
    en: 'Without a touch, this screen returns home in {n} s and clears your details.',
  },
  imHere: { zh: '我还在', en: "I'm still here" },

  // attract
  welcome: { zh: '您好，欢迎光临', en: 'Welcome' },
  welcomeSub: { zh: '请选择业务，轻触即可取号', en: 'Touch a service to get your ticket' },
  moreWays: { zh: '其他服务', en: 'More' },
  checkIn: { zh: '预约签到', en: 'Appointment check-in' },
  checkInSub: { zh: '已预约的客户', en: 'If you booked a time' },
  selfService: { zh: '自助办理', en: 'Self-service' },
  selfServiceSub: {
    zh: '查询、缴费、充值、发票，无需排队',
    en: 'Balance, bills, top-up, invoices — no queue',
  },
  feedback: { zh: '意见反馈', en: 'Feedback' },
  feedbackSub: { zh: '投诉与建议', en: 'Complaints and suggestions' },
  elderlyMode: { zh: '长辈模式', en: 'Elderly mode' },
  elderlyModeSub: { zh: '大字体，步骤更少', en: 'Larger text, fewer steps' },

  // take a ticket
  chooseService: { zh: '请选择业务', en: 'Choose a service' },
  identifyPanel: { zh: '贵宾、长辈客户请先识别', en: 'VIP or senior? Identify first' },
  identifyPanelSub: {
    zh: '识别后优先为您叫号，也可以直接选择业务。',
    en: 'Identified customers are called first. Or simply choose a service.',
  },
  identifyByPhone: { zh: '手机号识别', en: 'Identify by phone' },
  greeting: { zh: '您好，{name}', en: 'Hello, {name}' },
  chooseForYou: { zh: '请选择业务，轻触即可取号。', en: 'Touch a service to get your ticket.' },
  selfServiceOffer: { zh: '这项业务可以在本机自助办理', en: 'You can do this here yourself' },
  selfServiceOfferSub: {
    zh: '查余额、缴话费、充值、打印发票，无需排队等候。',
    en: 'Balance, bill payment, top-up and invoices — without waiting in line.',
  },
  doItMyself: { zh: '自助办理', en: 'Do it myself' },
  stillWantTicket: { zh: '仍要取号', en: 'I still want a ticket' },
  elderlyOffer: { zh: '为您开启长辈模式？', en: 'Switch to elderly mode?' },
  elderlyOfferSub: {
    zh: '字更大、步骤更少，并优先安排爱心窗口。',
    en: 'Larger text, fewer steps, and priority at the care counter.',
  },
  yes: { zh: '好的', en: 'Yes, please' },
  no: { zh: '不用了', en: 'No, thanks' },
  tierVip: { zh: '贵宾客户 · 优先服务', en: 'VIP customer · priority service' },
  tierElderly: { zh: '长辈客户 · 优先服务', en: 'Senior customer · priority service' },
  printerDown: {
    zh: '打印机暂时无法出票，您的号码将显示在屏幕上，可用手机扫码跟踪。',
    en: 'The printer cannot print right now: your number will be shown here with a QR code for your phone.',
  },
  issuing: { zh: '正在为您取号…', en: 'Getting your ticket…' },
  reconnectingDetail: {
    zh: '您的取号请求已保留，连接恢复后会自动完成，不会重复取号。',
    en: 'Your request is kept and completes by itself once we are back — you will not get two numbers.',
  },
  tryNow: { zh: '立即重试', en: 'Try now' },
  printing: { zh: '正在打印号票…', en: 'Printing your ticket…' },
  yourNumber: { zh: '您的号码', en: 'Your number' },
  watchDisplay: { zh: '请留意叫号', en: 'Please watch the display' },
  takePaper: { zh: '请取走您的号票', en: 'Please take your ticket' },
  printFailed: {
    zh: '打印机未能出票，但您的号码有效。请记下号码，或用手机扫码随时查看进度。',
    en: 'The printer could not print, but your number is valid. Note it, or scan the code to follow it on your phone.',
  },
  printUnknown: {
    zh: '如果没有出票，请用手机扫码跟踪您的号码。',
    en: 'If no ticket came out, scan the code to follow your number on your phone.',
  },
  scanToTrack: { zh: '手机扫码查看排队进度', en: 'Scan to follow your place on your phone' },
  refusedTitle: { zh: '暂时无法取号', en: 'We could not issue a ticket' },
  chooseOther: { zh: '选择其他业务', en: 'Choose another service' },

  // appointment
  appointmentTitle: { zh: '预约签到', en: 'Appointment check-in' },
  appointmentHint: {
    zh: '请输入预约短信中的签到码，或将预约二维码对准扫描口。',
    en: 'Type the check-in code from your booking message, or hold the booking QR to the scanner.',
  },
  checkInNow: { zh: '签到', en: 'Check in' },
  walkInInstead: { zh: '取普通号', en: 'Take a regular ticket' },

  // identification
  identifyTitle: { zh: '请识别身份', en: 'Identify yourself' },
  identifyOptional: {
    zh: '识别后可享受贵宾或长辈优先服务。也可以跳过。',
    en: 'Identified VIP and senior customers are served first. You may skip this.',
  },
  identifyRequired: {
    zh: '为保护您的账户，自助办理前需要识别身份。',
    en: 'To protect your account, please identify yourself first.',
  },
  byPhone: { zh: '手机号 + 验证码', en: 'Phone number + SMS code' },
  byIdCard: { zh: '请将身份证放在读卡区', en: 'Place your ID card on the reader' },
  byMemberQr: { zh: '或向扫描口出示会员码', en: 'Or show your member QR to the scanner' },
  skip: { zh: '跳过', en: 'Skip' },
  enterPhone: { zh: '请输入手机号', en: 'Enter your mobile number' },
  sendCode: { zh: '获取验证码', en: 'Send me a code' },
  sendingCode: { zh: '正在发送验证码…', en: 'Sending the code…' },
  enterCode: { zh: '请输入短信验证码', en: 'Enter the code from the SMS' },
  codeSentTo: { zh: '验证码已发送至 {phone}', en: 'Code sent to {phone}' },
  verify: { zh: '确认', en: 'Confirm' },
  resendCode: { zh: '重新发送', en: 'Send a new code' },
  resendIn: { zh: '{n} 秒后可重新发送', en: 'A new code in {n} s' },
  tryAgainIn: { zh: '请 {n} 秒后再试', en: 'Try again in {n} s' },
  verifying: { zh: '正在验证…', en: 'Checking…' },
  readingCard: { zh: '正在读取…', en: 'Reading…' },
  deleteDigit: { zh: '删除', en: 'Delete' },
  clearAll: { zh: '清空', en: 'Clear' },

  // feedback
  feedbackTitle: { zh: '意见反馈', en: 'Feedback' },
  kindComplaint: { zh: '投诉', en: 'Complaint' },
  kindSuggestion: { zh: '建议', en: 'Suggestion' },
  kindPraise: { zh: '表扬', en: 'Praise' },
  chooseTopics: { zh: '与哪些方面有关？（可多选）', en: 'What is it about? (choose any)' },
  topicWaiting: { zh: '排队等候', en: 'Waiting' },
  topicStaff: { zh: '服务人员', en: 'Staff' },
  topicBilling: { zh: '话费账单', en: 'Bills and charges' },
  topicNetwork: { zh: '网络信号', en: 'Network and signal' },
  topicProduct: { zh: '套餐产品', en: 'Plans and products' },
  topicOther: { zh: '其他', en: 'Other' },
  send: { zh: '提交', en: 'Send' },
  sending: { zh: '正在提交…', en: 'Sending…' },
  thanks: { zh: '感谢您的反馈', en: 'Thank you for your feedback' },
  feedbackReference: { zh: '受理编号：{ref}', en: 'Reference: {ref}' },
  complaintTicket: {
    zh: '为您取投诉与争议号，值班经理当面处理',
    en: 'Take a ticket to see the duty manager',
  },

  // self-service
  loadingAccount: { zh: '正在查询您的账户…', en: 'Looking up your account…' },
  balance: { zh: '账户余额', en: 'Balance' },
  currentBill: { zh: '{period} 账单', en: 'Bill for {period}' },
  billDue: { zh: '应缴 {amount}，{date} 前', en: '{amount} due by {date}' },
  billPaid: { zh: '已缴清', en: 'Paid' },
  dataUsage: { zh: '流量', en: 'Data' },
  voiceUsage: { zh: '通话', en: 'Calls' },
  usageOf: { zh: '已用 {used} / 共 {total}', en: '{used} of {total} used' },
  topUp: { zh: '充值', en: 'Top up' },
  payBill: { zh: '缴纳账单', en: 'Pay the bill' },
  addOnPacks: { zh: '流量包', en: 'Add-on packs' },
  printInvoice: { zh: '打印发票', en: 'Print an invoice' },
  takeTicketInstead: { zh: '到柜台办理', en: 'Take a ticket for a counter' },
  chooseAmount: { zh: '请选择充值金额', en: 'Choose an amount' },
  choosePack: { zh: '请选择流量包', en: 'Choose a pack' },
  confirmPack: { zh: '确认订购 {name}？', en: 'Buy {name}?' },
  packsFromBalance: {
    zh: '流量包从账户余额中扣费，当前余额 {balance}。',
    en: 'Packs are paid from your balance, now {balance}.',
  },
  packShort: { zh: '余额不足', en: 'balance too low' },
  confirmPackDetail: {
    zh: '{price} 将从账户余额中扣除（当前余额 {balance}）。',
    en: '{price} will be taken from your balance (now {balance}).',
  },
  packTooDear: {
    zh: '余额 {balance} 不足以支付 {price}，请先充值。',
    en: 'Your balance of {balance} does not cover {price}. Please top up first.',
  },
  buy: { zh: '确认订购', en: 'Yes, buy it' },
  payAtTerminal: { zh: '请在支付终端上付款 {amount}', en: 'Please pay {amount} at the payment terminal' },
  payAtTerminalSub: { zh: '支持银行卡、手机支付', en: 'Bank card or mobile payment' },
  preparingOrder: { zh: '正在创建订单…', en: 'Preparing your order…' },
  paid: { zh: '支付成功', en: 'Payment received' },
  paidTopUp: { zh: '已充值 {amount}', en: 'Topped up {amount}' },
  paidBill: { zh: '已缴纳 {amount}', en: 'Paid {amount}' },
  paidPack: { zh: '已从余额扣除 {amount}', en: '{amount} taken from your balance' },
  readingBalance: { zh: '正在查询余额…', en: 'Checking your balance…' },
  balanceNow: { zh: '当前余额 {amount}', en: 'Balance now {amount}' },
  orderDone: { zh: '办理成功', en: 'Done' },
  declined: { zh: '支付未成功', en: 'Payment declined' },
  timedOut: { zh: '支付超时，未扣款', en: 'Payment timed out — nothing was charged' },
  cancelled: { zh: '已取消，未扣款', en: 'Cancelled — nothing was charged' },
  orderReference: { zh: '交易号：{ref}', en: 'Transaction: {ref}' },
  receiptPrinted: { zh: '请取走您的收据', en: 'Please take your receipt' },
  receiptFailed: {
    zh: '收据未能打印，可在柜台补打',
    en: 'The receipt did not print; a counter can reprint it',
  },
  chooseInvoice: { zh: '请选择账期', en: 'Choose a billing period' },
  invoicePrinted: { zh: '发票已打印，请取走', en: 'Your invoice is printed — please take it' },
  invoiceFailed: {
    zh: '发票未能打印，可在柜台补打',
    en: 'The invoice did not print; a counter can print it',
  },
  backToMenu: { zh: '返回自助菜单', en: 'Back to self-service' },
} satisfies Strings;

/**
 * Labels of the demo hall's service categories (server/config.ts); a category without a label here
 * shows the names of its services instead.
 */
export const categoryNames: Strings = {
  business: { zh: '综合业务', en: 'Lines, plans and devices' },
  payments: { zh: '缴费充值', en: 'Payments and top-up' },
  vip: { zh: '贵宾服务', en: 'VIP' },
  help: { zh: '投诉与销户', en: 'Complaints and cancellations' },
};

/**
 * What went wrong, by the error code the server (or the kiosk) gave; `<code>:details` words the server's
 * details. Every refusal of a check-in has its words.
 */
export const problems: { [code in ProblemCode | `${ProblemCode}:details`]?: Text } & Record<
  CheckInRefusal | 'unexpected',
  Text
> = {
  unreachable: {
    zh: '暂时连接不上服务器，请稍后再试。',
    en: 'We cannot reach the server right now. Please try again shortly.',
  },
  unexpected: {
    zh: '出了点问题，请重试或咨询工作人员。',
    en: 'Something went wrong. Please try again or ask our staff.',
  },
  'service-closed': { zh: '该业务现在暂停服务。', en: 'This service is closed right now.' },
  'service-not-found': { zh: '该业务现在暂停服务。', en: 'This service is closed right now.' },
  'invalid-phone': { zh: '请输入 11 位手机号。', en: 'Please enter an 11-digit mobile number.' },
  'not-a-customer': {
    zh: '没有找到该号码的账户。',
    en: 'We found no account for this number.',
  },
  'too-many-requests': { zh: '操作太频繁，请稍后再试。', en: 'Too many tries. Please wait a moment.' },
  'wrong-code': { zh: '验证码不正确，请重新输入。', en: 'That code is not right. Please try again.' },
  'code-expired': { zh: '验证码已失效，请重新获取。', en: 'The code has expired. Please ask for a new one.' },
  'unknown-challenge': {
    zh: '验证码已失效，请重新获取。',
    en: 'The code has expired. Please ask for a new one.',
  },
  'unknown-read': { zh: '没有读到，请再放一次。', en: 'That did not read. Please try once more.' },
  'too-early': {
    zh: '还没到签到时间。请在预约时间前不久再签到，或先取普通号。',
    en: 'It is too early to check in. Please come back closer to your time, or take a regular ticket.',
  },
  'too-early:details': {
    zh: '您预约的是 {slot}，{from} 起可以签到。也可以先取普通号。',
    en: 'Your appointment is at {slot}; check-in opens at {from}. Or take a regular ticket now.',
  },
  'too-late': {
    zh: '已超过预约签到时间，请取普通号，我们会尽快为您办理。',
    en: 'Your check-in time has passed. Please take a regular ticket and we will serve you soon.',
  },
  'too-late:details': {
    zh: '您预约的是 {slot}，签到已于 {until} 截止。请取普通号，我们会尽快为您办理。',
    en: 'Your appointment was at {slot}; check-in closed at {until}. Please take a regular ticket.',
  },
  'already-checked-in': { zh: '该预约已经签到过了。', en: 'This appointment is already checked in.' },
  'unknown-appointment': {
    zh: '没有找到该预约，请核对签到码。',
    en: 'We found no appointment with this code. Please check it.',
  },
  'invalid-request': {
    zh: '输入有误，请核对后重试。',
    en: 'Something in the input is not right. Please check it.',
  },
  'customer-expired': {
    zh: '身份验证已过期，请返回首页重新办理。',
    en: 'Your identification has expired. Please start again from Home.',
  },
  'payment-unavailable': {
    zh: '支付终端暂时不可用，请到柜台办理。',
    en: 'The payment terminal is not available. Please take a ticket for a counter.',
  },
  'insufficient-balance': {
    zh: '余额不足，请先充值。',
    en: 'Your balance is too low. Please top up first.',
  },
  'bill-already-paid': { zh: '账单已缴清。', en: 'The bill is already paid.' },
  'unknown-period': { zh: '该账期没有可打印的发票。', en: 'There is no invoice for this period.' },
};
