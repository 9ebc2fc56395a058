/** Everything the counter terminal says, in both languages. */
import type { Text } from '../../server/contract/api.ts';
import type { CommandType } from './commands.ts';
import type { Problem } from './terminal.machine.ts';

export const strings = {
  title: { zh: '柜台终端', en: 'Counter terminal' },
  loading: { zh: '正在加载…', en: 'Loading…' },
  waitingForServer: { zh: '无法连接服务器，正在重试…', en: 'Cannot reach the server, retrying…' },
  retryNow: { zh: '立即重试', en: 'Retry now' },
  signInTitle: { zh: '员工登录', en: 'Staff sign-in' },
  username: { zh: '工号', en: 'Staff ID' },
  password: { zh: '密码', en: 'Password' },
  signIn: { zh: '登录', en: 'Sign in' },
  signOut: { zh: '退出登录', en: 'Sign out' },
  chooseCounter: { zh: '选择窗口', en: 'Choose your counter' },
  changeCounter: { zh: '更换窗口', en: 'Change counter' },
  inUseBy: { zh: '使用中：', en: 'In use by ' },
  nobodyWaiting: { zh: '本窗口暂无等候的客户', en: 'Nobody is waiting for this counter' },
  noCustomer: { zh: '当前无客户', en: 'No customer at the counter' },
  waited: { zh: '已等候', en: 'Waited' },
  calledAt: { zh: '叫号时间', en: 'Called at' },
  why: { zh: '叫号依据', en: 'Why this ticket' },
  passedOver: { zh: '跳过', en: 'Passed over' },
  customer: { zh: '客户', en: 'Customer' },
  account: { zh: '账户', en: 'Account' },
  balance: { zh: '余额', en: 'balance' },
  billDue: { zh: '待缴账单', en: 'bill due' },
  queues: { zh: '等候队列', en: 'Queues' },
  waitingCount: { zh: '等候人数', en: 'Waiting' },
  longestWait: { zh: '最长等候', en: 'Longest wait' },
  lastFinished: { zh: '上一位', en: 'Last customer' },
  rated: { zh: '评价', en: 'rated' },
  notRated: { zh: '未评价', en: 'not rated' },
  connectionLost: { zh: '连接中断，正在重新连接…', en: 'Connection lost, reconnecting…' },
  cancel: { zh: '取消', en: 'Cancel' },
  pauseTitle: { zh: '暂停原因', en: 'Reason for the pause' },
  transferTitle: { zh: '转到业务', en: 'Transfer to service' },
  transferFront: { zh: '排到该队列最前面', en: 'To the front of its queue' },
  finishTitle: { zh: '客户评价（可选）', en: 'Customer rating (optional)' },
  finishWithoutRating: { zh: '不评价，直接完成', en: 'Finish without rating' },
  service: { zh: '业务', en: 'Service' },
  staffedBy: { zh: '{counter} 当前由 {name} 在岗', en: '{counter} is staffed by {name}' },
  /** The ticket at the counter is called: what the person at the counter waits for. */
  calledAwaitingCustomer: { zh: '已叫号，等待客户到达', en: 'Called, waiting for the customer' },
  dismiss: { zh: '知道了', en: 'OK' },
  language: { zh: 'English', en: '中文' },
} satisfies Record<string, Text>;

export const commandLabels: Record<CommandType, Text> = {
  open: { zh: '开窗', en: 'Open' },
  pause: { zh: '暂停', en: 'Pause' },
  resume: { zh: '恢复', en: 'Resume' },
  close: { zh: '关窗', en: 'Close' },
  call: { zh: '叫号', en: 'Call next' },
  recall: { zh: '重呼', en: 'Recall' },
  start: { zh: '开始办理', en: 'Start' },
  'no-show': { zh: '过号', en: 'No-show' },
  transfer: { zh: '转移', en: 'Transfer' },
  finish: { zh: '完成', en: 'Finish' },
};

export const problemTexts: Record<Problem['kind'], Text> = {
  credentials: { zh: '工号或密码错误', en: 'Wrong staff ID or password' },
  'rate-limited': { zh: '尝试次数过多，请稍后再试', en: 'Too many attempts, try again later' },
  conflict: {
    zh: '操作未执行：另一终端或呼叫器刚刚处理了此窗口，已显示最新状态',
    en: 'Not done: another terminal or the keypad just acted on this counter. Showing the latest state.',
  },
  forbidden: {
    zh: '无权操作：只有在此窗口就座的员工或经理可以操作',
    en: 'Not allowed: only the person seated at this counter or a manager can do this',
  },
  'not-found': { zh: '找不到该窗口或号码', en: 'That counter or ticket no longer exists' },
  session: { zh: '登录已过期，请重新登录', en: 'Your session has ended, please sign in again' },
  offline: { zh: '无法连接服务器', en: 'Cannot reach the server' },
  other: { zh: '操作失败', en: 'Something went wrong' },
};
