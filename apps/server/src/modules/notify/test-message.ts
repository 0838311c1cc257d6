import type { LocalizedMessage } from '@yunwei/contracts/notify';

/** The "send a test message" message, in both languages (the channel sends its locale's). */
export function testMessage(channelName: string, username: string, at: number): LocalizedMessage {
  const time = new Date(at).toISOString();
  return {
    'zh-CN': {
      title: `【运维工作台】测试消息：${channelName}`,
      markdown: `这是一条来自运维工作台（Yunwei）的**测试消息**。\n\n- 通知渠道：${channelName}\n- 发送人：${username}\n- 时间：${time}\n\n收到即表示该渠道配置正确。`,
      text: `这是一条来自运维工作台（Yunwei）的测试消息。\n通知渠道：${channelName}\n发送人：${username}\n时间：${time}\n收到即表示该渠道配置正确。`,
      severity: 'info',
      status: 'test',
      data: { kind: 'test', channel: channelName, user: username },
    },
    en: {
      title: `[Yunwei] Test message: ${channelName}`,
      markdown: `This is a **test message** from Yunwei.\n\n- Channel: ${channelName}\n- Sent by: ${username}\n- Time: ${time}\n\nIf you can read this, the channel works.`,
      text: `This is a test message from Yunwei.\nChannel: ${channelName}\nSent by: ${username}\nTime: ${time}\nIf you can read this, the channel works.`,
      severity: 'info',
      status: 'test',
      data: { kind: 'test', channel: channelName, user: username },
    },
  };
}
