/**
 * The one catalogue of error codes. Every error a user or a script can meet has a stable code,
 * an HTTP status and a message in both languages. Services throw `AppError(code)`; one handler
 * on the server turns it into `{ code, message, details }`.
 */
export interface ErrorDefinition {
  readonly status: number;
  readonly zh: string;
  readonly en: string;
}

export const ERRORS = {
  // generic
  YW_VALIDATION: { status: 400, zh: '请求内容不正确', en: 'The request is not valid' },
  YW_MALFORMED_BODY: { status: 400, zh: '请求体不是有效的 JSON', en: 'The request body is not valid JSON' },
  YW_UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  YW_BODY_TOO_LARGE: { status: 413, zh: '请求体过大', en: 'The request body is too large' },
  YW_NOT_FOUND: { status: 404, zh: '找不到请求的资源', en: 'The requested resource does not exist' },
  YW_ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在', en: 'No such API endpoint' },
  YW_CONFLICT: { status: 409, zh: '与现有数据冲突', en: 'Conflicts with existing data' },
  YW_RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests, try again later' },
  YW_DB_BUSY: { status: 503, zh: '数据库繁忙，请稍后重试（未保存任何内容）', en: 'The database is busy; nothing was saved, retry shortly' },
  YW_UPLOAD_ARCHIVE_TOO_LARGE: { status: 413, zh: '上传的文件解压后过大或压缩比异常（疑似压缩炸弹），已拒绝', en: 'The uploaded file is too large once decompressed, or compressed suspiciously well (a decompression bomb): refused' },
  YW_NODE_OUTDATED: { status: 503, zh: '本节点版本比数据库旧（其他节点已升级并迁移了数据库），已停止服务：请把本节点升级到与其他节点相同的版本', en: 'This node is older than the database (another node upgraded and migrated it) and has stopped serving: upgrade it to the release the other nodes run' },
  YW_UPLOAD_BUSY: { status: 503, zh: '正在处理的导入过多，请稍后重试（未导入任何内容）', en: 'Too many imports are running; nothing was imported, retry shortly' },
  YW_INTERNAL: { status: 500, zh: '服务器内部错误，请联系管理员', en: 'Internal server error, contact the administrator' },

  // authentication
  YW_AUTH_REQUIRED: { status: 401, zh: '请先登录', en: 'Sign in first' },
  YW_AUTH_INVALID_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong user name or password' },
  YW_AUTH_ACCOUNT_LOCKED: { status: 423, zh: '账号已被锁定，请稍后再试或联系管理员解锁', en: 'The account is locked; try later or ask an administrator to unlock it' },
  YW_AUTH_ACCOUNT_DISABLED: { status: 403, zh: '账号已停用', en: 'The account is disabled' },
  YW_AUTH_SESSION_EXPIRED: { status: 401, zh: '会话已过期，请重新登录', en: 'The session has expired, sign in again' },
  YW_AUTH_MFA_REQUIRED: { status: 401, zh: '请输入动态口令', en: 'Enter the one-time code' },
  YW_AUTH_MFA_INVALID: { status: 401, zh: '动态口令错误', en: 'Wrong one-time code' },
  YW_AUTH_MFA_ENROLMENT_REQUIRED: { status: 403, zh: '请先绑定多因素认证（TOTP）', en: 'Enrol multi-factor authentication (TOTP) first' },
  YW_AUTH_PASSWORD_CHANGE_REQUIRED: { status: 403, zh: '请先修改密码', en: 'Change your password first' },
  YW_AUTH_CSRF: { status: 403, zh: '请求缺少有效的 CSRF 令牌，请刷新页面', en: 'Missing or invalid CSRF token; reload the page' },
  YW_AUTH_MFA_REENROL_PROOF: { status: 400, zh: '更换认证器需输入当前密码和现有认证器的动态口令', en: 'Replacing the authenticator needs your password and a code from the current one' },
  YW_AUTH_TOKEN_INVALID: { status: 401, zh: 'API 令牌无效或已过期', en: 'The API token is invalid or has expired' },

  // authorisation
  YW_FORBIDDEN: { status: 403, zh: '没有执行此操作的权限', en: 'You do not have permission to do this' },
  YW_OUT_OF_SCOPE: { status: 403, zh: '目标不在您的数据范围内', en: 'The target is outside your data scope' },
  YW_SOD_CONFLICT: { status: 409, zh: '违反三员分立：不能同时担任这些角色', en: 'Separation of duties: these roles cannot be held together' },
  YW_SOD_RESERVED_PERMISSION: { status: 409, zh: '该权限只能由安全管理员角色持有', en: 'This permission is reserved to the security administrator role' },
  YW_SOD_ENABLE_CONFLICT: { status: 409, zh: '不能开启三员分立：仍有违反三员分立的授权', en: 'Separation of duties cannot be switched on while grants break it' },

  // identity
  YW_PASSWORD_POLICY: { status: 400, zh: '密码不符合安全策略', en: 'The password does not meet the password policy' },
  YW_PASSWORD_REUSED: { status: 400, zh: '不能使用最近用过的密码', en: 'The password was used recently' },
  YW_PASSWORD_WRONG: { status: 400, zh: '当前密码不正确', en: 'The current password is wrong' },
  YW_USER_NOT_FOUND: { status: 404, zh: '用户不存在', en: 'No such user' },
  YW_USERNAME_TAKEN: { status: 409, zh: '用户名已存在', en: 'The user name is already taken' },
  YW_DUTY_ALREADY_HELD: { status: 409, zh: '该职责已有人担任，不能再通过首次设置创建账号；请由安全管理员在用户管理中分配角色', en: 'Someone already holds this duty: the first-day set-up cannot create its account; the security administrator assigns roles in Users' },
  YW_CANNOT_CHANGE_SELF: { status: 409, zh: '不能对自己的账号执行此操作', en: 'You cannot do this to your own account' },
  YW_TOKEN_NOT_FOUND: { status: 404, zh: 'API 令牌不存在', en: 'No such API token' },
  YW_TOKEN_SCOPE_EXCEEDS: { status: 400, zh: '令牌权限不能超出您自己的权限', en: 'A token cannot have permissions you do not have' },

  // access
  YW_ROLE_NOT_FOUND: { status: 404, zh: '角色不存在', en: 'No such role' },
  YW_ROLE_NAME_TAKEN: { status: 409, zh: '角色名称已存在', en: 'The role name is already taken' },
  YW_ROLE_BUILTIN: { status: 409, zh: '内置角色不能修改或删除', en: 'Built-in roles cannot be changed or deleted' },
  YW_ROLE_IN_USE: { status: 409, zh: '角色仍被用户使用，不能删除', en: 'The role is still assigned to users' },
  YW_PERMISSION_UNKNOWN: { status: 400, zh: '未知的权限', en: 'Unknown permission' },

  // org
  YW_ORG_NOT_FOUND: { status: 404, zh: '组织机构不存在', en: 'No such organisation unit' },
  YW_ORG_HAS_CHILDREN: { status: 409, zh: '组织机构下仍有下级机构或用户，不能删除', en: 'The unit still has sub-units or users' },
  YW_ORG_CYCLE: { status: 409, zh: '不能把机构移动到其下级之下', en: 'A unit cannot be moved under its own descendant' },
  YW_ORG_NAME_TAKEN: { status: 409, zh: '同级下已有同名机构', en: 'A sibling unit has the same name' },

  // audit
  YW_AUDIT_RETENTION_TOO_SHORT: { status: 400, zh: '审计日志保留期不能少于 180 天', en: 'Audit retention cannot be shorter than 180 days' },

  // monitoring
  YW_MONITORING_REMOTE_WRITE_MALFORMED: { status: 400, zh: '远程写入请求体无法解析（应为 snappy 压缩的 Prometheus WriteRequest）', en: 'The remote-write body cannot be decoded (expected a snappy-compressed Prometheus WriteRequest)' },
  YW_MONITORING_QUERY_TOO_LARGE: { status: 400, zh: '查询范围过大，请缩小时间范围、增大步长或收窄选择器', en: 'The query is too large; narrow the time range or selector, or use a larger step' },
  YW_MONITORING_BUSY: { status: 503, zh: '指标写入繁忙，请稍后重试', en: 'Metric ingestion is busy, retry later' },
  YW_MONITORING_WRITE_FAILED: { status: 503, zh: '指标未能保存（样本写入线程出错），请重试', en: 'The samples were not stored (the sample writer failed); retry' },
  YW_MONITORING_TARGET_NOT_FOUND: { status: 404, zh: '采集目标不存在', en: 'No such scrape target' },
  YW_MONITORING_TARGET_URL_TAKEN: { status: 409, zh: '已有相同地址的采集目标', en: 'A scrape target with this URL already exists' },
  YW_MONITORING_RULE_NOT_FOUND: { status: 404, zh: '指标与配置项的映射规则不存在', en: 'No such series-to-CI mapping rule' },
  YW_MONITORING_SERIES_BUDGET: { status: 429, zh: '新建序列超出预算（每个凭据每分钟可新建的序列数有限），本次未保存任何样本，请稍后重试', en: 'Over the new-series budget (each credential may create a limited number of series per minute); nothing was stored, retry later' },

  // cmdb
  YW_CMDB_CLASS_NOT_FOUND: { status: 404, zh: '配置项类别不存在', en: 'No such CI class' },
  YW_CMDB_CLASS_CODE_TAKEN: { status: 409, zh: '已有相同编码的配置项类别', en: 'A CI class with this code already exists' },
  YW_CMDB_CLASS_BUILTIN: { status: 409, zh: '内置配置项类别不能修改或删除', en: 'Built-in CI classes cannot be changed or deleted' },
  YW_CMDB_CLASS_IN_USE: { status: 409, zh: '该类别下仍有配置项，不能删除', en: 'The class still has CIs' },
  YW_CMDB_CI_NOT_FOUND: { status: 404, zh: '配置项不存在', en: 'No such configuration item' },
  YW_CMDB_CI_NAME_TAKEN: { status: 409, zh: '同一类别下已有同名配置项', en: 'A CI of this class already has this name' },
  YW_CMDB_RELATION_NOT_FOUND: { status: 404, zh: '配置项关系不存在', en: 'No such CI relation' },
  YW_CMDB_RELATION_SELF: { status: 400, zh: '配置项不能与自身（或其所在的冗余组）建立关系', en: 'A CI cannot be related to itself (or to a group it belongs to)' },
  YW_CMDB_RELATION_DUPLICATE: { status: 409, zh: '这两个配置项之间已有同类型的关系', en: 'A relation of this type between these two already exists' },
  YW_CMDB_GROUP_NOT_FOUND: { status: 404, zh: '冗余组不存在', en: 'No such redundancy group' },
  YW_CMDB_GROUP_NAME_TAKEN: { status: 409, zh: '已有同名冗余组', en: 'A redundancy group with this name already exists' },
  YW_CMDB_GROUP_MIN_UP: { status: 400, zh: '最少可用成员数不能大于成员数', en: 'The minimum of members up cannot exceed the number of members' },
  YW_CMDB_IMPORT_UNREADABLE: { status: 400, zh: '无法读取导入文件（应为 XLSX 或 UTF-8 编码的 CSV）', en: 'The import file cannot be read (expected XLSX or UTF-8 CSV)' },
  YW_CMDB_IMPORT_MISSING_COLUMN: { status: 400, zh: '导入文件缺少必需的列', en: 'The import file lacks a required column' },
  YW_CMDB_IMPORT_TOO_MANY_ROWS: { status: 400, zh: '导入文件行数过多，请拆分后分批导入', en: 'Too many rows in the import file; split it into several imports' },
  // agents
  YW_AGENT_ENROLMENT_TOKEN_INVALID: { status: 401, zh: '注册令牌无效、已使用、已吊销或已过期', en: 'The enrolment token is unknown, already used, revoked or expired' },
  YW_AGENT_CREDENTIAL_INVALID: { status: 401, zh: '代理凭据无效或代理已被吊销', en: 'The agent credential is invalid or the agent has been revoked' },
  YW_AGENT_NOT_FOUND: { status: 404, zh: '代理不存在', en: 'No such agent' },
  YW_AGENT_TOKEN_NOT_FOUND: { status: 404, zh: '注册令牌不存在', en: 'No such enrolment token' },
  YW_AGENT_INVENTORY_NOT_FOUND: { status: 404, zh: '该主机还没有代理上报的资产清单', en: 'No agent has reported an inventory for this host yet' },
  YW_AGENT_DOWNLOAD_NOT_FOUND: { status: 404, zh: '服务器上没有这个代理安装文件', en: 'This server offers no such agent file' },
  YW_AGENT_COMMAND_NOT_FOUND: { status: 404, zh: '代理命令不存在', en: 'No such agent command' },
  YW_AGENT_NOT_BUILT: { status: 503, zh: '本服务器还没有构建代理安装包，请管理员运行 npm run build:agent', en: 'The agent has not been built on this server: an administrator runs npm run build:agent' },
  // dashboards
  YW_DASHBOARD_NOT_FOUND: { status: 404, zh: '仪表盘不存在', en: 'No such dashboard' },
  // inspections and monitoring policy
  YW_INSPECTION_TEMPLATE_NOT_FOUND: { status: 404, zh: '巡检模板不存在', en: 'No such inspection template' },
  YW_INSPECTION_TEMPLATE_BUILTIN: { status: 409, zh: '内置巡检模板不能删除', en: 'Built-in inspection templates cannot be deleted' },
  YW_INSPECTION_TEMPLATE_IN_USE: { status: 409, zh: '巡检模板仍被巡检计划或监控制度引用，不能删除', en: 'The template is still used by schedules or monitoring policies' },
  YW_INSPECTION_SCHEDULE_NOT_FOUND: { status: 404, zh: '巡检计划不存在', en: 'No such inspection schedule' },
  YW_INSPECTION_RECORD_NOT_FOUND: { status: 404, zh: '巡检记录不存在', en: 'No such inspection record' },
  YW_INSPECTION_RESULT_NOT_FOUND: { status: 404, zh: '巡检记录中没有这一项', en: 'No such item in the inspection record' },
  YW_INSPECTION_RECORD_SIGNED: { status: 409, zh: '巡检记录已签字确认，不能再修改', en: 'The inspection record has been signed off and cannot be changed' },
  YW_INSPECTION_NOT_FILLED: { status: 409, zh: '还有人工巡检项未填写，不能签字', en: 'Manual items are still to be filled in; the record cannot be signed yet' },
  YW_INSPECTION_SCOPE_EMPTY: { status: 409, zh: '巡检范围内没有配置项', en: 'The inspection scope contains no configuration item' },
  YW_INSPECTION_SIGNER_NOT_USER: { status: 403, zh: '只有用户本人可以签字（API 令牌不能签字）', en: 'Only a signed-in person can sign (not an API token)' },
  YW_INSPECTION_PHOTO_INVALID: { status: 400, zh: '照片格式或大小不符合要求（JPEG/PNG/WebP，最大 5 MB）', en: 'The photo must be JPEG, PNG or WebP and at most 5 MB' },
  YW_INSPECTION_PHOTO_NOT_FOUND: { status: 404, zh: '该巡检项没有照片', en: 'This item has no photo' },
  YW_INSPECTION_POLICY_NOT_FOUND: { status: 404, zh: '监控制度不存在', en: 'No such monitoring policy' },
  YW_CHECK_NOT_FOUND: { status: 404, zh: '检查项不存在', en: 'No such check' },
  // notify
  YW_NOTIFY_CHANNEL_NOT_FOUND: { status: 404, zh: '通知渠道不存在', en: 'No such notification channel' },
  YW_NOTIFY_DELIVERY_NOT_FOUND: { status: 404, zh: '通知发送记录不存在', en: 'No such delivery' },
  YW_NOTIFY_DELIVERY_NOT_RETRYABLE: { status: 409, zh: '只有失败、被抑制或等待重试的通知可以重发', en: 'Only failed, suppressed or retrying deliveries can be sent again' },
  // oncall: schedules and the business calendar
  YW_ONCALL_SCHEDULE_NOT_FOUND: { status: 404, zh: '值班表不存在', en: 'No such on-call schedule' },
  YW_ONCALL_OVERRIDE_NOT_FOUND: { status: 404, zh: '临时替班记录不存在', en: 'No such on-call override' },
  YW_ONCALL_CALENDAR_IMPORT_UNREADABLE: { status: 400, zh: '无法读取工作日历文件：应为 XLSX 或 UTF-8 编码的 CSV，第一行含“日期”和“类型”列', en: 'The calendar file cannot be read: expected XLSX or UTF-8 CSV whose first row has "date" and "kind" columns' },
  // alerting: rules and alerts
  YW_ALERTING_RULE_NOT_FOUND: { status: 404, zh: '告警规则不存在', en: 'No such alert rule' },
  YW_ALERTING_ALERT_NOT_FOUND: { status: 404, zh: '告警不存在', en: 'No such alert' },
  YW_ALERTING_ALERT_NOT_OPEN: { status: 409, zh: '只能确认正在告警的告警（已恢复或已确认的不能再确认）', en: 'Only a firing alert can be acknowledged (this one is resolved, pending or already acknowledged)' },
  YW_ALERTING_PACK_NOT_FOUND: { status: 404, zh: '规则包不存在', en: 'No such rule pack' },
  // alert routing
  YW_ROUTING_SILENCE_NOT_FOUND: { status: 404, zh: '静默规则不存在', en: 'No such silence' },
  YW_ROUTING_SILENCE_NEEDS_CI: { status: 403, zh: '您的权限只限于部分组织单元：静默条件须用 ci = 配置项编号（或 ci =~ 编号1|编号2）写明范围内的配置项', en: 'Your role is limited to some org units: name the CIs in scope with ci = <CI id> (or ci =~ <id1>|<id2>)' },
  YW_ROUTING_MAINTENANCE_NOT_FOUND: { status: 404, zh: '维护窗口不存在', en: 'No such maintenance window' },
  YW_ROUTING_POLICY_NOT_FOUND: { status: 404, zh: '通知策略不存在', en: 'No such notification policy' },
  YW_ROUTING_POLICY_DEFAULT: { status: 409, zh: '内置的默认通知策略总是最后匹配：不能删除、移动或设为继续匹配（可以停用）', en: 'The built-in default notification policy is always matched last: it cannot be deleted, moved or set to continue (it can be disabled)' },
  YW_ROUTING_ESCALATION_NOT_FOUND: { status: 404, zh: '升级策略不存在', en: 'No such escalation policy' },
  YW_ROUTING_ESCALATION_IN_USE: { status: 409, zh: '升级策略仍被通知策略引用，不能删除', en: 'The escalation policy is still used by notification policies' },
  // status pages
  YW_STATUS_PAGE_NOT_FOUND: { status: 404, zh: '状态页不存在', en: 'No such status page' },
  YW_STATUS_PAGE_SLUG_TAKEN: { status: 409, zh: '该地址已被其他状态页使用', en: 'Another status page already uses this address' },
  YW_STATUS_NOTICE_NOT_FOUND: { status: 404, zh: '公告不存在', en: 'No such notice' },
  // approvals
  YW_APPROVAL_FLOW_NOT_FOUND: { status: 404, zh: '审批流程不存在', en: 'No such approval flow' },
  YW_APPROVAL_FLOW_CODE_TAKEN: { status: 409, zh: '已有同样编码的审批流程', en: 'Another approval flow has this code' },
  YW_APPROVAL_FLOW_DISABLED: { status: 409, zh: '审批流程已停用，不能提交新的审批', en: 'The approval flow is disabled: no new request can be submitted' },
  YW_APPROVAL_STEP_NOBODY: { status: 409, zh: '审批步骤找不到审批人（角色无成员、值班表当前无人值班或用户已停用），请先调整审批流程', en: 'An approval step has nobody to approve it (a role without members, nobody on call, or a disabled user): change the flow first' },
  YW_APPROVAL_ALREADY_PENDING: { status: 409, zh: '该对象已有进行中的审批，请等待其结束或先撤回', en: 'This item already has an approval under way: wait for it or withdraw it first' },
  YW_APPROVAL_REQUEST_NOT_FOUND: { status: 404, zh: '审批不存在', en: 'No such approval request' },
  YW_APPROVAL_TASK_NOT_FOUND: { status: 404, zh: '审批任务不存在', en: 'No such approval task' },
  YW_APPROVAL_NOT_ASSIGNEE: { status: 403, zh: '只有该任务的审批人可以处理它', en: 'Only the approver this task is assigned to can act on it' },
  YW_APPROVAL_ALREADY_DECIDED: { status: 409, zh: '该审批已被他人处理，请刷新后查看最新状态', en: 'Someone else has already decided this; reload to see where it stands' },
  YW_APPROVAL_TASK_NOT_PENDING: { status: 409, zh: '该任务当前不能处理：已处理过，或尚未轮到（依次审批或等待加签人）', en: 'This task cannot be acted on now: it was already handled, or it is not its turn yet (one after another, or waiting for an added approver)' },
  YW_APPROVAL_REQUEST_CLOSED: { status: 409, zh: '审批已结束，不能再操作', en: 'The approval has ended: nothing more can be done to it' },
  YW_APPROVAL_NOT_SUBMITTER: { status: 403, zh: '只有发起人可以撤回审批', en: 'Only the submitter can withdraw the request' },
  YW_APPROVAL_NOT_PARTICIPANT: { status: 403, zh: '只有发起人和审批人可以评论', en: 'Only the submitter and the approvers can comment' },
  YW_REPORT_SCHEDULE_NOT_FOUND: { status: 404, zh: '定时报告不存在', en: 'No such report schedule' },
  YW_REPORT_RUN_FILE_NOT_FOUND: { status: 404, zh: '该次运行没有这种格式的文件（或文件已清理）', en: 'This run has no file in that format (or it was removed)' },
  // library
  YW_LIBRARY_TYPE_NOT_FOUND: { status: 404, zh: '文档类型不存在', en: 'No such document type' },
  YW_LIBRARY_TYPE_CODE_TAKEN: { status: 409, zh: '已有同样编码的文档类型', en: 'Another document type has this code' },
  YW_LIBRARY_TYPE_PREFIX_TAKEN: { status: 409, zh: '已有文档类型使用该编号前缀', en: 'Another document type uses this number prefix' },
  YW_LIBRARY_TYPE_BUILTIN: { status: 409, zh: '内置文档类型不能删除（可修改其审批流程和复审周期）', en: 'Built-in document types cannot be deleted (their approval flow and review period may change)' },
  YW_LIBRARY_TYPE_IN_USE: { status: 409, zh: '该类型下仍有文档，不能删除', en: 'Documents of this type still exist: it cannot be deleted' },
  YW_LIBRARY_DOCUMENT_NOT_FOUND: { status: 404, zh: '文档不存在', en: 'No such document' },
  YW_LIBRARY_VERSION_NOT_FOUND: { status: 404, zh: '文档版本不存在', en: 'No such document version' },
  YW_LIBRARY_VERSION_LOCKED: { status: 409, zh: '该版本正在审批或已审批，不能修改；如需修改，请撤回审批或创建新版本', en: 'This version is under review or approved and cannot be edited: withdraw the review or start a new version' },
  YW_LIBRARY_DRAFT_CHANGED: { status: 409, zh: '草稿已被他人修改，请刷新后再编辑', en: 'Someone else changed the draft meanwhile: reload it before editing' },
  YW_LIBRARY_ILLEGAL_TRANSITION: { status: 409, zh: '文档当前状态不允许此操作', en: 'The document cannot do this in its current state' },
  YW_LIBRARY_RETIRED: { status: 409, zh: '文档已废止，不能再修改', en: 'The document has been retired and cannot be changed' },
  YW_LIBRARY_LINK_NOT_FOUND: { status: 404, zh: '文档关联不存在', en: 'No such document link' },
  YW_LIBRARY_LINK_EXISTS: { status: 409, zh: '文档已关联该对象', en: 'The document is already linked to this item' },
  YW_LIBRARY_TEMPLATE_NOT_FOUND: { status: 404, zh: '文档模板不存在', en: 'No such document template' },
  YW_LIBRARY_TEMPLATE_BUILTIN: { status: 409, zh: '内置模板不能删除（可以修改）', en: 'Built-in templates cannot be deleted (they may be changed)' },
  YW_LIBRARY_IMPORT_UNREADABLE: { status: 400, zh: '无法读取上传的文件，请上传 Word 文档（.docx）', en: 'The uploaded file cannot be read: upload a Word document (.docx)' },
  // incidents
  YW_INCIDENT_NOT_FOUND: { status: 404, zh: '故障不存在', en: 'No such incident' },
  YW_INCIDENT_VERSION_CONFLICT: { status: 409, zh: '该故障已被他人修改，请刷新后再操作', en: 'Someone else changed this incident: reload it and try again' },
  YW_INCIDENT_ILLEGAL_TRANSITION: { status: 409, zh: '故障当前状态不允许此操作', en: 'This action is not allowed in the incident\'s current state' },
  YW_INCIDENT_TYPE_NOT_FOUND: { status: 404, zh: '故障类型不存在', en: 'No such fault type' },
  YW_INCIDENT_NATURE_NOT_FOUND: { status: 404, zh: '故障性质不存在', en: 'No such fault nature' },
  YW_INCIDENT_CONFIG_IN_USE: { status: 409, zh: '仍有故障使用它，不能删除（可以停用）', en: 'Incidents still use it: it cannot be deleted (disable it instead)' },
  YW_INCIDENT_RUNBOOK_NOT_FOUND: { status: 404, zh: '故障处理方案不存在', en: 'No such runbook' },
  YW_INCIDENT_RUNBOOK_STATE: { status: 409, zh: '故障处理方案（或其执行）的当前状态不允许此操作', en: 'The runbook (or its run) is not in a state that allows this' },
  YW_INCIDENT_RUNBOOK_RUN_NOT_FOUND: { status: 404, zh: '处理方案的执行记录不存在', en: 'No such runbook run' },
  YW_INCIDENT_TASK_NOT_FOUND: { status: 404, zh: '任务不存在', en: 'No such task' },
  // problems and the 隐患 register (incidents module)
  YW_PROBLEM_NOT_FOUND: { status: 404, zh: '问题不存在', en: 'No such problem' },
  YW_PROBLEM_VERSION_CONFLICT: { status: 409, zh: '该问题已被他人修改，请刷新后再操作', en: 'Someone else changed this problem: reload it and try again' },
  YW_PROBLEM_ILLEGAL_TRANSITION: { status: 409, zh: '问题当前状态不允许此操作', en: 'This action is not allowed in the problem\'s current state' },
  YW_RISK_NOT_FOUND: { status: 404, zh: '隐患不存在', en: 'No such latent risk' },
  YW_RISK_VERSION_CONFLICT: { status: 409, zh: '该隐患已被他人修改，请刷新后再操作', en: 'Someone else changed this latent risk: reload it and try again' },
  YW_RISK_ILLEGAL_TRANSITION: { status: 409, zh: '隐患当前状态不允许此操作', en: 'This action is not allowed in the latent risk\'s current state' },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERRORS;

/** The JSON body of every error response. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: ErrorDetails;
}

export interface ErrorDetails {
  /** Dotted path of the offending field, e.g. `body.username`. */
  field?: string;
  fields?: { field: string; message: string }[];
  [key: string]: unknown;
}
