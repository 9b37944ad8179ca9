<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>Help</name>
    <message>
      <source>Multi-label micro-action detection datasets: blind annotation by three annotators, EPIC-KITCHENS IoU merge with a cross-check, senior review, and subject-disjoint export (MMA-52 CSV, OpenTAD, PointTAD).</source>
      <translation>多标签微动作检测数据集：三位标注员盲标，按 EPIC-KITCHENS 的 IoU 规则合并并交叉检查，资深审核员审核，按受试者互不重叠导出（MMA-52 CSV、OpenTAD、PointTAD）。</translation>
    </message>
    <message>
      <source>icons drawn for the project</source>
      <translation>图标为本项目绘制</translation>
    </message>
    <message>
      <source>not installed</source>
      <translation>未安装</translation>
    </message>
    <message>
      <source>MMAD Studio — user guide</source>
      <translation>MMAD Studio — 用户指南</translation>
    </message>
    <message>
      <source>Keyboard shortcuts</source>
      <translation>键盘快捷键</translation>
    </message>
    <message>
      <source>Key</source>
      <translation>按键</translation>
    </message>
    <message>
      <source>Command</source>
      <translation>命令</translation>
    </message>
    <message>
      <source>Open log folder</source>
      <translation>打开日志文件夹</translation>
    </message>
    <message>
      <source>Show the folder of MMAD Studio's log file ({folder})</source>
      <translation>显示 MMAD Studio 日志文件所在的文件夹（{folder}）</translation>
    </message>
    <message>
      <source>Language</source>
      <translation>语言</translation>
    </message>
    <message>
      <source>Language saved: it is used from the next start</source>
      <translation>语言已保存：下次启动时生效</translation>
    </message>
    <message>
      <source>User guide</source>
      <translation>用户指南</translation>
    </message>
    <message>
      <source>How annotators and reviewers work here, with your keys</source>
      <translation>标注员和审核员的工作方式，以及你的快捷键</translation>
    </message>
    <message>
      <source>Change keyboard shortcuts…</source>
      <translation>修改键盘快捷键…</translation>
    </message>
    <message>
      <source>Your own keys; a key may serve one command only</source>
      <translation>自定义快捷键；一个键只能用于一个命令</translation>
    </message>
    <message>
      <source>About MMAD Studio</source>
      <translation>关于 MMAD Studio</translation>
    </message>
    <message>
      <source>As the system</source>
      <translation>跟随系统</translation>
    </message>
    <message>
      <source>Nudging: `[` acts on the START edge and `]` on the END edge. The plain key moves that edge outward (start earlier, end later: the segment grows), Ctrl moves it inward (the segment shrinks), Shift moves five frames instead of one. The player jumps to the edge moved, so the boundary frame is always the one on screen.</source>
      <translation>微调：`[` 作用于起始边，`]` 作用于结束边。直接按键使该边向外移动（起点提前、终点推后：片段变长），加 Ctrl 向内移动（片段变短），加 Shift 一次移动五帧。播放器会跳到被移动的边界，因此屏幕上始终显示边界帧。</translation>
    </message>
    <message>
      <source>Each instance the cross-check did not mark reliable waits for a decision, with the annotators' majority outcome pre-selected: Enter accepts it, K keeps its merged boundaries and label, D removes it from the ground truth, 1/2/3 take one annotator's segment. Every decision is stored at once; Ctrl+Enter finalises the clip once none is left. Nudging: `[` acts on the START edge and `]` on the END edge. The plain key moves that edge outward (start earlier, end later: the segment grows), Ctrl moves it inward (the segment shrinks), Shift moves five frames instead of one. The player jumps to the edge moved, so the boundary frame is always the one on screen.</source>
      <translation>交叉检查未标为可靠的每个实例都等待决定，并预选了标注员的多数意见：Enter 接受，K 保留合并后的边界和标签，D 将其从真值中移除，1/2/3 采用某位标注员的片段。每个决定都会立即保存；没有待决实例后，Ctrl+Enter 定稿该短片。微调：`[` 作用于起始边，`]` 作用于结束边。直接按键使该边向外移动（起点提前、终点推后：片段变长），加 Ctrl 向内移动（片段变短），加 Shift 一次移动五帧。播放器会跳到被移动的边界，因此屏幕上始终显示边界帧。</translation>
    </message>
  </context>
  <context>
    <name>Annotation</name>
    <message>
      <source>Press I at the start of the action first, then O at its end</source>
      <translation>先在动作开始处按 I，再在结束处按 O</translation>
    </message>
    <message>
      <source>Select a segment first (click it, or , / . to jump)</source>
      <translation>请先选中一个片段（单击它，或按 , / . 跳转）</translation>
    </message>
    <message>
      <source>Segment deleted (Ctrl+Z brings it back)</source>
      <translation>片段已删除（Ctrl+Z 可恢复）</translation>
    </message>
    <message>
      <source>Loop segment: no segment selected, playing without a loop</source>
      <translation>循环片段：未选中片段，不循环播放</translation>
    </message>
    <message>
      <source>Start marked at frame {mark}: move to the end and press O</source>
      <translation>已在第 {mark} 帧标记起点：移到终点后按 O</translation>
    </message>
    <message>
      <source>Action for frames {start}–{end}</source>
      <translation>第 {start}–{end} 帧的动作</translation>
    </message>
    <message>
      <source>New action for {start_frame}–{end_frame}</source>
      <translation>第 {start_frame}–{end_frame} 帧的新动作</translation>
    </message>
    <message>
      <source>No segment after the playhead</source>
      <translation>播放头之后没有片段</translation>
    </message>
    <message>
      <source>No segment before the playhead</source>
      <translation>播放头之前没有片段</translation>
    </message>
    <message>
      <source>Too short: {length}; a segment needs at least {shortest} (0.2 s). Move further and press O again</source>
      <translation>太短：{length}；片段至少需要 {shortest}（0.2 秒）。再往后移并重新按 O</translation>
    </message>
    <message>
      <source>Added '{name}' {start}–{end}</source>
      <translation>已添加“{name}” {start}–{end}</translation>
    </message>
    <message>
      <source>no instances</source>
      <translation>无实例</translation>
    </message>
    <message>
      <source>Nothing to join: no segment of the same action overlaps or touches this one</source>
      <translation>无可合并：没有同一动作的片段与此片段重叠或相接</translation>
    </message>
    <message>
      <source>This clip has no instances: use 'Done — no instances' (Ctrl+Shift+Enter) to say so explicitly</source>
      <translation>此短片没有实例：请用“完成 — 无实例”（Ctrl+Shift+Enter）明确说明</translation>
    </message>
    <message>
      <source>Split at frame {frame}: {start_frame}–{frame} and {frame}–{end_frame}</source>
      <translation>已在第 {frame} 帧拆分：{start_frame}–{frame} 和 {frame}–{end_frame}</translation>
    </message>
    <message>
      <source>Joined into one '{name}'{span}</source>
      <translation>已合并为一个“{name}”{span}</translation>
    </message>
    <message>
      <source>Nothing to undo in this clip</source>
      <translation>此短片没有可撤销的操作</translation>
    </message>
    <message>
      <source>Nothing to redo</source>
      <translation>没有可重做的操作</translation>
    </message>
    <message>
      <source>{text} refused{later}: {message}</source>
      <translation>{text}被拒绝{later}：{message}</translation>
    </message>
    <message>
      <source>Clip {name} done ({what})</source>
      <translation>短片 {name} 已完成（{what}）</translation>
    </message>
    <message>
      <source>Clip {name} is finalised by the reviewer: you can look, not edit</source>
      <translation>短片 {name} 已由审核员定稿：只能查看，不能编辑</translation>
    </message>
    <message>
      <source>Storing {count} kept from the last session</source>
      <translation>正在保存上次会话留下的 {count}</translation>
    </message>
    <message>
      <source>Clip {name} is finalised by the reviewer: it is read only</source>
      <translation>短片 {name} 已由审核员定稿：只读</translation>
    </message>
    <message>
      <source>{count} left the undo history: it no longer matches what the database holds</source>
      <translation>{count} 已移出撤销历史：它与数据库中保存的内容不再一致</translation>
    </message>
    <message>
      <source>This clip has {count}: delete them first or use 'Mark done' (Ctrl+Enter)</source>
      <translation>此短片有 {count}：请先删除它们，或使用“标记完成”（Ctrl+Enter）</translation>
    </message>
    <message>
      <source>Cannot change the clip's state: clip {name} is not assigned to {author}</source>
      <translation>无法更改短片状态：短片 {name} 未分配给 {author}</translation>
    </message>
    <message>
      <source>Cannot change the clip's state: clip {name} is finalised</source>
      <translation>无法更改短片状态：短片 {name} 已定稿</translation>
    </message>
    <message>
      <source>Cannot split: {exc}</source>
      <translation>无法拆分：{exc}</translation>
    </message>
    <message>
      <source>Undone: {text} (Ctrl+Shift+Z redoes it)</source>
      <translation>已撤销：{text}（Ctrl+Shift+Z 重做）</translation>
    </message>
    <message>
      <source>Redone: {text}</source>
      <translation>已重做：{text}</translation>
    </message>
    <message>
      <source>{text} refused: {exc}</source>
      <translation>{text}被拒绝：{exc}</translation>
    </message>
    <message>
      <source>No clip left to do — well done</source>
      <translation>没有待做的短片了 — 干得好</translation>
    </message>
    <message>
      <source>No clips are assigned to {user} in this project (the project owner assigns them: mmad assign)</source>
      <translation>本项目中没有分配给 {user} 的短片（由项目所有者分配：mmad assign）</translation>
    </message>
    <message>
      <source>Not marked done: {count} still pending (P jumps to the next)</source>
      <translation>未标记完成：仍有 {count}待处理（P 跳到下一个）</translation>
    </message>
    <message>
      <source>Clip {name} done: N opens the next clip to do</source>
      <translation>短片 {name} 已完成：按 N 打开下一个待做短片</translation>
    </message>
    <message>
      <source>{count} on this clip still pending (neither accepted nor rejected). Mark the clip done anyway?</source>
      <translation>此短片上仍有 {count}待处理（既未接受也未拒绝）。仍要标记此短片完成吗？</translation>
    </message>
  </context>
  <context>
    <name>Count</name>
    <message>
      <source>frame</source>
      <translation>{n} 帧</translation>
    </message>
    <message>
      <source>instance</source>
      <translation>{n} 个实例</translation>
    </message>
    <message>
      <source>edit</source>
      <translation>{n} 项编辑</translation>
    </message>
    <message>
      <source>other edit</source>
      <translation>其他 {n} 项编辑</translation>
    </message>
    <message>
      <source>clip</source>
      <translation>{n} 个短片</translation>
    </message>
    <message>
      <source>subject</source>
      <translation>{n} 名受试者</translation>
    </message>
    <message>
      <source>file</source>
      <translation>{n} 个文件</translation>
    </message>
    <message>
      <source>proposal</source>
      <translation>{n} 个建议</translation>
    </message>
    <message>
      <source>model proposal</source>
      <translation>{n} 个模型建议</translation>
    </message>
    <message>
      <source>decodable frame</source>
      <translation>{n} 个可解码帧</translation>
    </message>
    <message>
      <source>other decision</source>
      <translation>其他 {n} 项决定</translation>
    </message>
    <message>
      <source>decision</source>
      <translation>{n} 项决定</translation>
    </message>
  </context>
  <context>
    <name>Window</name>
    <message>
      <source>saving…</source>
      <translation>保存中…</translation>
    </message>
    <message>
      <source>saved</source>
      <translation>已保存</translation>
    </message>
    <message>
      <source>offline — {edits} waiting</source>
      <translation>离线 — {edits}等待保存</translation>
    </message>
    <message>
      <source>the database is busy — {edits} waiting</source>
      <translation>数据库繁忙 — {edits}等待保存</translation>
    </message>
    <message>
      <source>Clips</source>
      <translation>短片</translation>
    </message>
    <message>
      <source>Instances</source>
      <translation>实例</translation>
    </message>
    <message>
      <source>Clips to review</source>
      <translation>待审核短片</translation>
    </message>
    <message>
      <source>Instance</source>
      <translation>实例</translation>
    </message>
    <message>
      <source>Undo {step}</source>
      <translation>撤销{step}</translation>
    </message>
    <message>
      <source>About MMAD Studio</source>
      <translation>关于 MMAD Studio</translation>
    </message>
    <message>
      <source>no clip open</source>
      <translation>未打开短片</translation>
    </message>
    <message>
      <source>Keyboard shortcuts saved</source>
      <translation>键盘快捷键已保存</translation>
    </message>
    <message>
      <source>Default keyboard shortcuts in use</source>
      <translation>正在使用默认键盘快捷键</translation>
    </message>
    <message>
      <source>{name} · {subject} · {count} @ {fps:g} fps · {detail}</source>
      <translation>{name} · {subject} · {count} @ {fps:g} fps · {detail}</translation>
    </message>
    <message>
      <source>Your keyboard shortcuts were not used ({problem}): Help → Change keyboard shortcuts…</source>
      <translation>未使用你的键盘快捷键（{problem}）：帮助 → 更改键盘快捷键…</translation>
    </message>
    <message>
      <source>Redo {step}</source>
      <translation>重做{step}</translation>
    </message>
  </context>
  <context>
    <name>Pose</name>
    <message>
      <source>not computed yet for this clip (the annotation screen or mmad pose computes it)</source>
      <translation>此短片的姿态尚未计算（由标注界面或 mmad pose 计算）</translation>
    </message>
    <message>
      <source>Select a segment first (click it, or , / . to jump)</source>
      <translation>请先选中一个片段（单击它，或按 , / . 跳转）</translation>
    </message>
    <message>
      <source>Pose: person in {percent:.0f}% of {frames} frames ({hint})</source>
      <translation>姿态：{frames} 帧中有 {percent:.0f}% 检测到人物（{hint}）</translation>
    </message>
    <message>
      <source>Skeleton on; the pose of this clip is being computed</source>
      <translation>骨架已开启；此短片的姿态正在计算</translation>
    </message>
    <message>
      <source>Skeleton on; the pose of this clip is not available</source>
      <translation>骨架已开启；此短片没有可用的姿态</translation>
    </message>
    <message>
      <source>Skeleton shown: the pose landmarks over the frame, rough where limbs cross (the same key hides it)</source>
      <translation>已显示骨架：姿态关键点叠加在画面上，肢体交叉处较粗略（再按同一键隐藏）</translation>
    </message>
    <message>
      <source>Skeleton hidden (the same key shows it)</source>
      <translation>骨架已隐藏（再按同一键显示）</translation>
    </message>
    <message>
      <source>No pose for this clip yet (being computed)</source>
      <translation>此短片尚无姿态（正在计算）</translation>
    </message>
    <message>
      <source>No pose for this clip yet</source>
      <translation>此短片尚无姿态</translation>
    </message>
    <message>
      <source>Pose not available: {exc}</source>
      <translation>姿态不可用：{exc}</translation>
    </message>
    <message>
      <source>No {part} motion onset within ±{radius} frames of the start</source>
      <translation>起点 ±{radius} 帧内没有{part}的运动起始</translation>
    </message>
    <message>
      <source>No {part} motion offset within ±{radius} frames of the end</source>
      <translation>终点 ±{radius} 帧内没有{part}的运动停止</translation>
    </message>
    <message>
      <source>The start already sits on a {part} motion edge</source>
      <translation>起点已位于{part}的运动边界上</translation>
    </message>
    <message>
      <source>The end already sits on a {part} motion edge</source>
      <translation>终点已位于{part}的运动边界上</translation>
    </message>
    <message>
      <source>Snapped the start from frame {frame} to {target}, the nearest {part} motion onset (Ctrl+Z undoes)</source>
      <translation>已将起点从第 {frame} 帧吸附到第 {target} 帧，即最近的{part}运动起始（Ctrl+Z 撤销）</translation>
    </message>
    <message>
      <source>Snapped the end from frame {frame} to {target}, the nearest {part} motion offset (Ctrl+Z undoes)</source>
      <translation>已将终点从第 {frame} 帧吸附到第 {target} 帧，即最近的{part}运动停止（Ctrl+Z 撤销）</translation>
    </message>
  </context>
  <context>
    <name>Core</name>
    <message>
      <source>Add segment</source>
      <translation>添加片段</translation>
    </message>
    <message>
      <source>Edit segment</source>
      <translation>编辑片段</translation>
    </message>
    <message>
      <source>Delete segment</source>
      <translation>删除片段</translation>
    </message>
    <message>
      <source>Split segment</source>
      <translation>拆分片段</translation>
    </message>
    <message>
      <source>Join segments</source>
      <translation>合并片段</translation>
    </message>
    <message>
      <source>Accept proposal</source>
      <translation>接受建议</translation>
    </message>
    <message>
      <source>Reject proposal</source>
      <translation>拒绝建议</translation>
    </message>
    <message>
      <source>Change the clip's state</source>
      <translation>更改短片状态</translation>
    </message>
    <message>
      <source>clip {clip}: start frame {start} is before the first frame (0)</source>
      <translation>短片 {clip}：起始帧 {start} 早于第一帧（0）</translation>
    </message>
    <message>
      <source>clip {clip}: end frame {end} must be after start frame {start}</source>
      <translation>短片 {clip}：结束帧 {end} 必须晚于起始帧 {start}</translation>
    </message>
    <message>
      <source>clip {clip}: end frame {end} is past the last frame ({last})</source>
      <translation>短片 {clip}：结束帧 {end} 超出最后一帧（{last}）</translation>
    </message>
    <message>
      <source>clip {clip}: segment {start}-{end} lasts {seconds} s, shorter than {minimum} s ({frames} frames at {fps} fps)</source>
      <translation>短片 {clip}：片段 {start}-{end} 持续 {seconds} 秒，短于 {minimum} 秒（{fps} fps 下为 {frames} 帧）</translation>
    </message>
    <message>
      <source>unknown action id {id}: taxonomy {name} has ids 0-{last}</source>
      <translation>未知动作编号 {id}：分类体系 {name} 的编号为 0-{last}</translation>
    </message>
    <message>
      <source>split frame {frame} is not inside {start}-{end}</source>
      <translation>拆分帧 {frame} 不在 {start}-{end} 之内</translation>
    </message>
    <message>
      <source>splitting at frame {frame} leaves a part shorter than {frames} frames (0.2 s)</source>
      <translation>在第 {frame} 帧拆分会留下短于 {frames} 帧（0.2 秒）的部分</translation>
    </message>
    <message>
      <source>only segments of the same clip, author and action can be joined</source>
      <translation>只能合并同一短片、同一标注员、同一动作的片段</translation>
    </message>
    <message>
      <source>cannot join a segment with itself</source>
      <translation>不能将片段与自身合并</translation>
    </message>
    <message>
      <source>the segment has not been stored yet</source>
      <translation>该片段尚未保存</translation>
    </message>
    <message>
      <source>{name} is an annotator: only a reviewer may {what}</source>
      <translation>{name} 是标注员：只有审核员可以{what}</translation>
    </message>
    <message>
      <source>{name} may only edit their own segments, not {author}'s</source>
      <translation>{name} 只能编辑自己的片段，不能编辑 {author} 的</translation>
    </message>
    <message>
      <source>clip {clip} is finalised: only a reviewer may change it</source>
      <translation>短片 {clip} 已定稿：只有审核员可以修改</translation>
    </message>
    <message>
      <source>clip {clip} is not assigned to {name}: an annotator writes segments only on the clips assigned to them (a reviewer assigns clips)</source>
      <translation>短片 {clip} 未分配给 {name}：标注员只能在分配给自己的短片上标注（由审核员分配短片）</translation>
    </message>
    <message>
      <source>{name} may not see {author}'s work on clip {clip} before it is finalised</source>
      <translation>短片 {clip} 定稿之前，{name} 不能查看 {author} 的标注</translation>
    </message>
    <message>
      <source>{what} was changed by {by} (now version {now}, you edited version {version}); reload</source>
      <translation>{what}已被 {by} 修改（现为第 {now} 版，你编辑的是第 {version} 版）；请重新载入</translation>
    </message>
    <message>
      <source>{what} no longer exists; reload</source>
      <translation>{what}已不存在；请重新载入</translation>
    </message>
    <message>
      <source>merged instance {id} no longer exists (the merge was re-run)</source>
      <translation>合并实例 {id} 已不存在（合并已重新运行）</translation>
    </message>
    <message>
      <source>clip {clip} is finalised: its ground truth is closed to a new merge</source>
      <translation>短片 {clip} 已定稿：其真值不再接受新的合并</translation>
    </message>
    <message>
      <source>clip {clip} is finalised: its merged instances can no longer be {what}</source>
      <translation>短片 {clip} 已定稿：其合并实例不能再被修改（{what}）</translation>
    </message>
    <message>
      <source>clip {clip} still has {count} merged instance(s) to review</source>
      <translation>短片 {clip} 仍有 {count} 个合并实例待审核</translation>
    </message>
    <message>
      <source>the project database stayed locked by another program for {seconds} s (a merge or an import?): nothing was changed; try again</source>
      <translation>项目数据库被其他程序锁定了 {seconds} 秒（合并或导入？）：未做任何更改；请重试</translation>
    </message>
    <message>
      <source>source {source}</source>
      <translation>来源 {source}</translation>
    </message>
    <message>
      <source>no training clips: {why}</source>
      <translation>没有训练短片：{why}</translation>
    </message>
    <message>
      <source>{count} clips {why}</source>
      <translation>{count} 个短片{why}</translation>
    </message>
    <message>
      <source>without a subset (split in the reviewer's Export dialog, Ctrl+E, or run mmad split)</source>
      <translation>未划分子集（在审核员的导出对话框中划分，Ctrl+E，或运行 mmad split）</translation>
    </message>
    <message>
      <source>without media</source>
      <translation>没有媒体文件</translation>
    </message>
    <message>
      <source>not finalised</source>
      <translation>未定稿</translation>
    </message>
    <message>
      <source>with nothing in source {source}</source>
      <translation>在来源 {source} 中没有标注</translation>
    </message>
    <message>
      <source>with nothing an annotator may read (the ground truth and others' work: finalised clips only)</source>
      <translation>没有标注员可读取的标注（真值和他人的标注仅在定稿短片上可见）</translation>
    </message>
    <message>
      <source>the project has no clips</source>
      <translation>项目中没有短片</translation>
    </message>
    <message>
      <source>only {count} training clips (at least {minimum} needed)</source>
      <translation>只有 {count} 个训练短片（至少需要 {minimum} 个）</translation>
    </message>
    <message>
      <source>only {count} training instances (at least {minimum} needed)</source>
      <translation>只有 {count} 个训练实例（至少需要 {minimum} 个）</translation>
    </message>
    <message>
      <source>no validation clips: nothing to choose the epoch or the proposal threshold on (run mmad split)</source>
      <translation>没有验证短片：无法据此选择训练轮次和建议阈值（运行 mmad split）</translation>
    </message>
  </context>
  <context>
    <name>Export</name>
    <message>
      <source>, </source>
      <translation>，</translation>
    </message>
    <message>
      <source>ELAN: one .eaf per clip in elan/, a tier per body part, the taxonomy as a controlled vocabulary</source>
      <translation>ELAN：每个短片一个 .eaf 文件（位于 elan/），每个身体部位一层，分类体系作为受控词表</translation>
    </message>
    <message>
      <source>BORIS aggregated events (TSV): one STATE row per instance, times in seconds</source>
      <translation>BORIS 聚合事件（TSV）：每个实例一行 STATE，时间以秒计</translation>
    </message>
    <message>
      <source>Label Studio JSON: a task per clip, TimelineLabels ranges in frames</source>
      <translation>Label Studio JSON：每个短片一个任务，TimelineLabels 区间以帧计</translation>
    </message>
    <message>
      <source>Merged and reviewed (reliable + resolved)</source>
      <translation>合并并审核后（可靠 + 已解决）</translation>
    </message>
    <message>
      <source>Ground truth</source>
      <translation>真值</translation>
    </message>
    <message>
      <source>Export the dataset</source>
      <translation>导出数据集</translation>
    </message>
    <message>
      <source>Subject split (whole subjects per subset)</source>
      <translation>按受试者划分（每个子集包含完整的受试者）</translation>
    </message>
    <message>
      <source>Split again</source>
      <translation>重新划分</translation>
    </message>
    <message>
      <source>Assign whole subjects to train/val/test with these ratios and seed, and store it (as mmad split)</source>
      <translation>按这些比例和随机种子将完整的受试者分配到 train/val/test 并保存（同 mmad split）</translation>
    </message>
    <message>
      <source>What and where</source>
      <translation>导出内容与位置</translation>
    </message>
    <message>
      <source>Annotations</source>
      <translation>标注</translation>
    </message>
    <message>
      <source>Formats</source>
      <translation>格式</translation>
    </message>
    <message>
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <source>Folder</source>
      <translation>文件夹</translation>
    </message>
    <message>
      <source>What will be written</source>
      <translation>将写出的内容</translation>
    </message>
    <message>
      <source>Export</source>
      <translation>导出</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Export folder</source>
      <translation>导出文件夹</translation>
    </message>
    <message>
      <source>seed</source>
      <translation>随机种子</translation>
    </message>
    <message>
      <source>Subset</source>
      <translation>子集</translation>
    </message>
    <message>
      <source>Clips</source>
      <translation>短片</translation>
    </message>
    <message>
      <source>Instances</source>
      <translation>实例</translation>
    </message>
    <message>
      <source>Subjects</source>
      <translation>受试者</translation>
    </message>
    <message>
      <source>Leakage check: no split stored yet (Split stores one)</source>
      <translation>泄漏检查：尚未保存划分（“重新划分”会保存一个）</translation>
    </message>
    <message>
      <source>Tick at least one format</source>
      <translation>请至少勾选一种格式</translation>
    </message>
    <message>
      <source>{clips}, {instances} per format, one file per subset plus one with everything</source>
      <translation>每种格式 {clips}、{instances}，每个子集一个文件，另加一个包含全部内容的文件</translation>
    </message>
    <message>
      <source>Leakage check: passed, no subject is in two subsets</source>
      <translation>泄漏检查：通过，没有受试者同时出现在两个子集中</translation>
    </message>
    <message>
      <source>balanced on {count} of {source}</source>
      <translation>按{source}的 {count}平衡</translation>
    </message>
    <message>
      <source>no {source} instances yet: balanced on clip counts only</source>
      <translation>尚无{source}实例：仅按短片数平衡</translation>
    </message>
    <message>
      <source>Split stored: {subsets}; {how}</source>
      <translation>划分已保存：{subsets}；{how}</translation>
    </message>
    <message>
      <source>Too little data to balance the split on (instances: {instances}, subjects with instances: {subjects}): {subsets} got none. Finalise more clips (or import ground truth), then split again.</source>
      <translation>用于均衡划分的数据太少（实例：{instances}，有实例的受试者：{subjects}）：{subsets} 没有分到任何实例。请定稿更多短片（或导入真值），然后重新划分。</translation>
    </message>
    <message>
      <source>Export cancelled; files written so far stay</source>
      <translation>导出已取消；已写出的文件保留</translation>
    </message>
    <message>
      <source>The ratios add up to {total:.2f}; they must add up to 1</source>
      <translation>比例之和为 {total:.2f}；必须等于 1</translation>
    </message>
    <message>
      <source>Leakage check: FAILED: {leakage}. Split again before exporting.</source>
      <translation>泄漏检查：未通过：{leakage}。请在导出前重新划分。</translation>
    </message>
    <message>
      <source>Wrote {count} to {out_dir}</source>
      <translation>已将 {count}写入 {out_dir}</translation>
    </message>
    <message>
      <source>Export failed: {exc}</source>
      <translation>导出失败：{exc}</translation>
    </message>
  </context>
  <context>
    <name>Feedback</name>
    <message>
      <source>The clip's final result after review (read only): an orange outline is an instance you did not mark, a red ghost is a segment of yours the final result does not have</source>
      <translation>此短片审核后的最终结果（只读）：橙色轮廓是你未标出的实例，红色虚影是最终结果中没有的你的片段</translation>
    </message>
    <message>
      <source>{name} is finalised by the reviewer; its final result is under your lanes: {missed} instance(s) you did not mark (orange outline), {yours_only} of yours not in it (red)</source>
      <translation>{name} 已由审核员定稿；最终结果显示在你的轨道下方：{missed} 个实例你未标出（橙色轮廓），你有 {yours_only} 个不在其中（红色）</translation>
    </message>
  </context>
  <context>
    <name>Timeline</name>
    <message>
      <source>final</source>
      <translation>最终</translation>
    </message>
    <message>
      <source>model</source>
      <translation>模型</translation>
    </message>
    <message>
      <source>merged</source>
      <translation>合并结果</translation>
    </message>
    <message>
      <source>Show lanes</source>
      <translation>显示轨道</translation>
    </message>
    <message>
      <source>{text}  ·  frames {start}–{end}  ·  drag edges to resize, double-click to relabel</source>
      <translation>{text}  ·  第 {start}–{end} 帧  ·  拖动边缘调整长度，双击更改标签</translation>
    </message>
    <message>
      <source>TL</source>
      <translation>躯长</translation>
    </message>
    <message>
      <source>/s</source>
      <translation>/秒</translation>
    </message>
    <message>
      <source>TL/s</source>
      <translation>躯长/秒</translation>
    </message>
    <message>
      <source>How much each body part moves (hands: how near they come to the face, body or legs), each row scaled to this clip; ticks mark where a movement starts or stops (E snaps a segment's edge there). Under each name, the value at the row's top: TL/s torso lengths a second, /s the head's orientation change a second, TL (hands) the nearest distance in torso lengths</source>
      <translation>各身体部位的运动幅度（手部：与脸、躯干或腿的接近程度），每行按本短片缩放；刻度标出动作开始或停止之处（E 将片段边界吸附到那里）。每个名称下方是该行顶部的数值：躯长/秒 表示每秒移动的躯干长度，/秒 表示头部每秒的朝向变化，躯长（手部）表示以躯干长度计的最近距离</translation>
    </message>
    <message>
      <source>frame</source>
      <translation>帧</translation>
    </message>
  </context>
  <context>
    <name>Find</name>
    <message>
      <source>any</source>
      <translation>任意</translation>
    </message>
    <message>
      <source>Find in the project</source>
      <translation>在项目中查找</translation>
    </message>
    <message>
      <source>Instances</source>
      <translation>实例</translation>
    </message>
    <message>
      <source>Annotators find only their own work (blind annotation)</source>
      <translation>标注员只能找到自己的标注（盲标）</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>动作</translation>
    </message>
    <message>
      <source>Body part</source>
      <translation>身体部位</translation>
    </message>
    <message>
      <source>Annotator</source>
      <translation>标注员</translation>
    </message>
    <message>
      <source>Merged clips, most disputed first: the share of instances the cross-check did not find reliable (to review, or decided by the reviewer). Enter opens the clip.</source>
      <translation>已合并的短片，分歧最大的在前：交叉检查认为不可靠的实例所占比例（待审核或已由审核员决定）。按 Enter 打开短片。</translation>
    </message>
    <message>
      <source>Clips where annotators disagree</source>
      <translation>标注员有分歧的短片</translation>
    </message>
    <message>
      <source>Clip</source>
      <translation>短片</translation>
    </message>
    <message>
      <source>Frames</source>
      <translation>帧</translation>
    </message>
    <message>
      <source>{instances} in {clips} · Enter or double-click opens the clip at the instance</source>
      <translation>{clips}中共 {instances} · 按 Enter 或双击在该实例处打开短片</translation>
    </message>
  </context>
  <context>
    <name>Picker</name>
    <message>
      <source>Label</source>
      <translation>标签</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>动作</translation>
    </message>
    <message>
      <source>code or name: B1, nod, touch…</source>
      <translation>编号或名称：B1、点头、触摸…</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Body part</source>
      <translation>身体部位</translation>
    </message>
  </context>
  <context>
    <name>Keys</name>
    <message>
      <source>Keyboard shortcuts</source>
      <translation>键盘快捷键</translation>
    </message>
    <message>
      <source>Defaults</source>
      <translation>恢复默认</translation>
    </message>
    <message>
      <source>Every command back to its default key</source>
      <translation>将所有命令恢复为默认按键</translation>
    </message>
    <message>
      <source>Command</source>
      <translation>命令</translation>
    </message>
    <message>
      <source>Key</source>
      <translation>按键</translation>
    </message>
    <message>
      <source>Also</source>
      <translation>备用键</translation>
    </message>
    <message>
      <source>Default</source>
      <translation>默认</translation>
    </message>
    <message>
      <source>Click a key field and press the new key. A key may serve one command only.</source>
      <translation>单击按键栏并按下新按键。一个按键只能用于一个命令。</translation>
    </message>
    <message>
      <source>Not saved: {problems}</source>
      <translation>未保存：{problems}</translation>
    </message>
  </context>
  <context>
    <name>Model</name>
    <message>
      <source>Open a clip first</source>
      <translation>请先打开一个短片</translation>
    </message>
    <message>
      <source>No clip of your queue needs proposals (control clips and clips already proposed for by the active version are left out)</source>
      <translation>你的队列中没有需要建议的短片（对照短片和已由启用的版本建议过的短片除外）</translation>
    </message>
    <message>
      <source>No trained model yet: a reviewer trains one (Model ▸ Train a model…)</source>
      <translation>尚无训练好的模型：由审核员训练（模型 ▸ 训练模型…）</translation>
    </message>
    <message>
      <source>These clips have no video file to propose on</source>
      <translation>这些短片没有可用于建议的视频文件</translation>
    </message>
    <message>
      <source>{name} is a control clip: proposals are held back there to measure their effect</source>
      <translation>{name} 是对照短片：此处不显示建议，以衡量其效果</translation>
    </message>
    <message>
      <source>{name} already has the proposals of {label} (the same model gives the same ones): Shift+Down shows more of them</source>
      <translation>{name} 已有 {label} 的建议（同一模型给出相同结果）：Shift+Down 显示更多</translation>
    </message>
    <message>
      <source>{label}: {stored} proposals stored, {shown} shown from score {threshold:.2f} (Shift+Up / Shift+Down move it)</source>
      <translation>{label}：已保存 {stored} 个建议，显示得分 {threshold:.2f} 以上的 {shown} 个（Shift+Up / Shift+Down 调整）</translation>
    </message>
    <message>
      <source>; {count} clip(s) refused: {first}</source>
      <translation>；{count} 个短片被拒绝：{first}</translation>
    </message>
    <message>
      <source>{name} is still running (Ctrl+Shift+K cancels it)</source>
      <translation>{name} 仍在运行（Ctrl+Shift+K 取消）</translation>
    </message>
    <message>
      <source>{name} is still running (the Train dialog cancels it)</source>
      <translation>{name} 仍在运行（可在训练对话框中取消）</translation>
    </message>
    <message>
      <source>{text}: cancelled, nothing stored</source>
      <translation>{text}：已取消，未保存任何内容</translation>
    </message>
    <message>
      <source>version</source>
      <translation>版本</translation>
    </message>
    <message>
      <source>created</source>
      <translation>创建时间</translation>
    </message>
    <message>
      <source>model</source>
      <translation>模型</translation>
    </message>
    <message>
      <source>trained on</source>
      <translation>训练数据</translation>
    </message>
    <message>
      <source>data</source>
      <translation>数据</translation>
    </message>
    <message>
      <source>val mAP %</source>
      <translation>验证 mAP %</translation>
    </message>
    <message>
      <source>test mAP %</source>
      <translation>测试 mAP %</translation>
    </message>
    <message>
      <source>threshold</source>
      <translation>阈值</translation>
    </message>
    <message>
      <source>Models</source>
      <translation>模型</translation>
    </message>
    <message>
      <source>Activate</source>
      <translation>启用</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>No trained model yet (a reviewer trains one: Model ▸ Train a model…)</source>
      <translation>尚无训练好的模型（由审核员训练：模型 ▸ 训练模型…）</translation>
    </message>
    <message>
      <source>Active: {label}, proposals shown from score {threshold:.2f} ({threshold_basis}). mAP is action/body/AVG in per cent.</source>
      <translation>启用的版本：{label}，显示得分 {threshold:.2f} 以上的建议（{threshold_basis}）。mAP 为动作/身体部位/平均，单位为百分比。</translation>
    </message>
    <message>
      <source>{name} failed: {error}</source>
      <translation>{name} 失败：{error}</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
  </context>
  <context>
    <name>Train</name>
    <message>
      <source>Pose landmarks (CPU, minutes; landmarks cached in the project)</source>
      <translation>姿态关键点（CPU，数分钟；关键点缓存在项目中）</translation>
    </message>
    <message>
      <source>VideoMAE tiny + adapter (CPU, from scratch, slow)</source>
      <translation>VideoMAE tiny + 适配器（CPU，从头训练，较慢）</translation>
    </message>
    <message>
      <source>VideoMAE ViT-S + adapter (GPU, weights file)</source>
      <translation>VideoMAE ViT-S + 适配器（GPU，需要权重文件）</translation>
    </message>
    <message>
      <source>standard</source>
      <translation>标准</translation>
    </message>
    <message>
      <source>none</source>
      <translation>无</translation>
    </message>
    <message>
      <source>Train a model</source>
      <translation>训练模型</translation>
    </message>
    <message>
      <source>merged: finalised clips</source>
      <translation>合并结果：已定稿的短片</translation>
    </message>
    <message>
      <source>imported ground truth</source>
      <translation>导入的真值</translation>
    </message>
    <message>
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <source>pretrained VideoMAE weights (.pth / .safetensors): needed for ViT-S</source>
      <translation>VideoMAE 预训练权重（.pth / .safetensors）：ViT-S 需要</translation>
    </message>
    <message>
      <source>Trains on</source>
      <translation>训练数据</translation>
    </message>
    <message>
      <source>Backbone</source>
      <translation>主干网络</translation>
    </message>
    <message>
      <source>Adapter</source>
      <translation>适配器</translation>
    </message>
    <message>
      <source>Weights</source>
      <translation>权重</translation>
    </message>
    <message>
      <source>Epochs</source>
      <translation>训练轮数</translation>
    </message>
    <message>
      <source>Device</source>
      <translation>设备</translation>
    </message>
    <message>
      <source>What it trains</source>
      <translation>训练内容</translation>
    </message>
    <message>
      <source>loss</source>
      <translation>损失</translation>
    </message>
    <message>
      <source>training loss</source>
      <translation>训练损失</translation>
    </message>
    <message>
      <source>val mAP (%)</source>
      <translation>验证 mAP (%)</translation>
    </message>
    <message>
      <source>Not started</source>
      <translation>未开始</translation>
    </message>
    <message>
      <source>Start</source>
      <translation>开始</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Resume</source>
      <translation>继续</translation>
    </message>
    <message>
      <source>Train anyway</source>
      <translation>仍然训练</translation>
    </message>
    <message>
      <source>train although the data is below the minimum: the version will not replace a better active one</source>
      <translation>即使数据低于最低要求也训练：该版本不会取代更好的启用的版本</translation>
    </message>
    <message>
      <source>Make active</source>
      <translation>启用此版本</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>epoch</source>
      <translation>轮次</translation>
    </message>
    <message>
      <source>Pretrained weights</source>
      <translation>预训练权重</translation>
    </message>
    <message>
      <source>Weights (*.pth *.pt *.bin *.safetensors)</source>
      <translation>权重文件 (*.pth *.pt *.bin *.safetensors)</translation>
    </message>
    <message>
      <source>registered and active</source>
      <translation>已登记并启用</translation>
    </message>
    <message>
      <source>registered, NOT active</source>
      <translation>已登记，未启用</translation>
    </message>
    <message>
      <source>{subset}: {clips} clips, {instances} instances, subjects {subjects}</source>
      <translation>{subset}：{clips} 个短片，{instances} 个实例，受试者 {subjects}</translation>
    </message>
    <message>
      <source>action</source>
      <translation>动作</translation>
    </message>
    <message>
      <source>body</source>
      <translation>身体部位</translation>
    </message>
    <message>
      <source>Cancelling…</source>
      <translation>正在取消…</translation>
    </message>
    <message>
      <source>v{number} {state} ({reason}), proposal threshold {threshold:.2f}</source>
      <translation>v{number} {state}（{reason}），建议阈值 {threshold:.2f}</translation>
    </message>
    <message>
      <source>left out: {what}</source>
      <translation>未使用：{what}</translation>
    </message>
    <message>
      <source>validation mAP: {action} and {body}</source>
      <translation>验证集 mAP：{action} 与 {body}</translation>
    </message>
    <message>
      <source>Training v{number}: starting the worker</source>
      <translation>正在训练 v{number}：启动工作进程</translation>
    </message>
    <message>
      <source>{label} is now the active model</source>
      <translation>{label} 现已启用</translation>
    </message>
    <message>
      <source>Cancelled after {done} finished epochs: Resume continues from there</source>
      <translation>已在完成 {done} 轮后取消：“继续”从那里接着训练</translation>
    </message>
    <message>
      <source>Training v{number} cancelled</source>
      <translation>v{number} 的训练已取消</translation>
    </message>
    <message>
      <source>{name} is still running: train once it has ended</source>
      <translation>{name} 仍在运行：请在它结束后再训练</translation>
    </message>
    <message>
      <source>Refused: {refused}. Train anyway overrides.</source>
      <translation>已拒绝：{refused}。“仍然训练”可强制进行。</translation>
    </message>
    <message>
      <source>Training v{number}: epoch {done}/{total} · elapsed {elapsed}</source>
      <translation>正在训练 v{number}：第 {done}/{total} 轮 · 已用 {elapsed}</translation>
    </message>
    <message>
      <source>Cannot train: {exc}</source>
      <translation>无法训练：{exc}</translation>
    </message>
    <message>
      <source> · about {left} left</source>
      <translation> · 约剩 {left}</translation>
    </message>
    <message>
      <source>subjects are kept apart: no subject is in two subsets · data fingerprint #{fingerprint}</source>
      <translation>受试者互不重叠：没有受试者同时出现在两个子集中 · 数据指纹 #{fingerprint}</translation>
    </message>
    <message>
      <source>Refused: {why} (Train anyway overrides)</source>
      <translation>已拒绝：{why}（“仍然训练”可强制进行）</translation>
    </message>
  </context>
  <context>
    <name>Instances</name>
    <message>
      <source>Start</source>
      <translation>起始</translation>
    </message>
    <message>
      <source>End</source>
      <translation>结束</translation>
    </message>
    <message>
      <source>Len</source>
      <translation>帧数</translation>
    </message>
    <message>
      <source>Sec</source>
      <translation>秒</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>动作</translation>
    </message>
    <message>
      <source>Body part</source>
      <translation>身体部位</translation>
    </message>
    <message>
      <source>first frame</source>
      <translation>第一帧</translation>
    </message>
    <message>
      <source>end frame (the action ends where this frame begins)</source>
      <translation>结束帧（动作在此帧开始处结束）</translation>
    </message>
    <message>
      <source>length in frames (end - start)</source>
      <translation>长度（帧，结束 − 起始）</translation>
    </message>
    <message>
      <source>length in seconds (frames / fps)</source>
      <translation>长度（秒，帧数 / 帧率）</translation>
    </message>
    <message>
      <source>action (double-click to change)</source>
      <translation>动作（双击修改）</translation>
    </message>
    <message>
      <source>body part (follows from the action)</source>
      <translation>身体部位（由动作决定）</translation>
    </message>
    <message>
      <source>'{text}' is not a frame number</source>
      <translation>“{text}”不是帧号</translation>
    </message>
  </context>
  <context>
    <name>Player</name>
    <message>
      <source>No loop</source>
      <translation>不循环</translation>
    </message>
    <message>
      <source>Loop segment</source>
      <translation>循环片段</translation>
    </message>
    <message>
      <source>Loop ±{n} frames</source>
      <translation>循环 ±{n} 帧</translation>
    </message>
    <message>
      <source>Play / pause (Space)</source>
      <translation>播放 / 暂停（Space）</translation>
    </message>
    <message>
      <source>Click, or press Ctrl+G, to go to a frame (123) or a time (12.5s)</source>
      <translation>单击或按 Ctrl+G 跳转到某一帧（123）或某一时间（12.5s）</translation>
    </message>
    <message>
      <source>frame or 12.5s</source>
      <translation>帧号或 12.5s</translation>
    </message>
    <message>
      <source>A frame number (123) or a time (12.5s, 1:02.5); Enter goes there, Esc cancels</source>
      <translation>帧号（123）或时间（12.5s、1:02.5）；Enter 跳转，Esc 取消</translation>
    </message>
    <message>
      <source>Playback speed ( - / = )</source>
      <translation>播放速度（- / =）</translation>
    </message>
    <message>
      <source>Loop the selected segment or a window around the playhead (L)</source>
      <translation>循环所选片段或播放头附近的一段（L）</translation>
    </message>
    <message>
      <source>Δ frame</source>
      <translation>帧差</translation>
    </message>
    <message>
      <source>Temporal gradient: difference from the previous frame (G)</source>
      <translation>时间梯度：与上一帧的差异（G）</translation>
    </message>
    <message>
      <source>decoding %p%</source>
      <translation>解码中 %p%</translation>
    </message>
    <message>
      <source>Stop decoding</source>
      <translation>停止解码</translation>
    </message>
    <message>
      <source>Decoding…</source>
      <translation>正在解码…</translation>
    </message>
    <message>
      <source>This clip has no video attached</source>
      <translation>此短片没有关联视频</translation>
    </message>
    <message>
      <source> (est.)</source>
      <translation>（估计）</translation>
    </message>
    <message>
      <source>'{text}' is past the clip's end (frame {last}); showing the last frame</source>
      <translation>“{text}”超出短片末尾（第 {last} 帧）；显示最后一帧</translation>
    </message>
    <message>
      <source>The video has {count}; the clip record says {total}.</source>
      <translation>视频有 {count}；短片记录为 {total} 帧。</translation>
    </message>
    <message>
      <source>Frame {frame} is still decoding…</source>
      <translation>第 {frame} 帧仍在解码…</translation>
    </message>
    <message>
      <source>frame {frame} / {last}</source>
      <translation>第 {frame} / {last} 帧</translation>
    </message>
  </context>
  <context>
    <name>Proposals</name>
    <message>
      <source>No model proposals for this clip</source>
      <translation>此短片没有模型建议</translation>
    </message>
    <message>
      <source>A accept · X reject · P / Shift+P next / previous · edit after accepting = proposal-edited</source>
      <translation>A 接受 · X 拒绝 · P / Shift+P 下一个 / 上一个 · 接受后再编辑 = 建议已修改</translation>
    </message>
    <message>
      <source>min score</source>
      <translation>最低分数</translation>
    </message>
    <message>
      <source>Control clip: no proposals (they are held back here to measure their effect)</source>
      <translation>对照短片：无建议（此处不显示建议，以衡量其效果）</translation>
    </message>
    <message>
      <source>Select a proposal first (click its ghost bar, or P for the next one)</source>
      <translation>请先选中一个建议（单击其虚影条，或按 P 跳到下一个）</translation>
    </message>
    <message>
      <source>Proposal rejected (Ctrl+Z brings it back)</source>
      <translation>建议已拒绝（Ctrl+Z 可恢复）</translation>
    </message>
    <message>
      <source>Proposal threshold {threshold:.2f} on this clip: {shown} shown</source>
      <translation>此短片的建议阈值为 {threshold:.2f}：显示 {shown} 个</translation>
    </message>
    <message>
      <source>Proposal threshold back to the calibrated {calibrated:.2f}: {shown} shown</source>
      <translation>建议阈值已恢复为校准值 {calibrated:.2f}：显示 {shown} 个</translation>
    </message>
    <message>
      <source>Model {version}: {shown} of {total} pending proposals score {threshold} or more</source>
      <translation>模型 {version}：{total} 个待处理建议中有 {shown} 个分数不低于 {threshold}</translation>
    </message>
    <message>
      <source>Accepted {score:.2f} {name}: edit it with [ ] or C (it becomes proposal-edited), Ctrl+Z undoes</source>
      <translation>已接受 {score:.2f} {name}：可用 [ ] 或 C 编辑（将成为“建议后编辑”），Ctrl+Z 撤销</translation>
    </message>
    <message>
      <source>No proposal after the playhead</source>
      <translation>播放头之后没有建议</translation>
    </message>
    <message>
      <source>No proposal before the playhead</source>
      <translation>播放头之前没有建议</translation>
    </message>
    <message>
      <source>Model {version}: none of {total} pending proposals scores {threshold} or more (Shift+Down shows more)</source>
      <translation>模型 {version}：{total} 个待处理建议的分数都低于 {threshold}（Shift+Down 显示更多）</translation>
    </message>
  </context>
  <context>
    <name>Queue</name>
    <message>
      <source> · damaged video: only {frames} ({seconds:.1f} s) could be read, the rest of the recording is missing</source>
      <translation> · 视频损坏：只能读取 {frames}（{seconds:.1f} 秒），录像其余部分缺失</translation>
    </message>
    <message>
      <source>to do</source>
      <translation>待做</translation>
    </message>
    <message>
      <source>in progress</source>
      <translation>进行中</translation>
    </message>
    <message>
      <source>done</source>
      <translation>已完成</translation>
    </message>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Clip</source>
      <translation>短片</translation>
    </message>
    <message>
      <source>Subj.</source>
      <translation>受试者</translation>
    </message>
    <message>
      <source>Len</source>
      <translation>时长</translation>
    </message>
    <message>
      <source>Inst.</source>
      <translation>实例</translation>
    </message>
    <message>
      <source>final</source>
      <translation>已定稿</translation>
    </message>
    <message>
      <source> · finalised by the reviewer: read only</source>
      <translation> · 已由审核员定稿：只读</translation>
    </message>
    <message>
      <source>{name}: {frames} at {fps:g} fps</source>
      <translation>{name}：{frames}，{fps:g} fps</translation>
    </message>
    <message>
      <source>All clips</source>
      <translation>全部短片</translation>
    </message>
    <message>
      <source>To do</source>
      <translation>待做</translation>
    </message>
    <message>
      <source>In progress</source>
      <translation>进行中</translation>
    </message>
    <message>
      <source>Done</source>
      <translation>已完成</translation>
    </message>
    <message>
      <source>Not done</source>
      <translation>未完成</translation>
    </message>
    <message>
      <source>Filter clips or subjects</source>
      <translation>按短片或受试者筛选</translation>
    </message>
    <message>
      <source>%1 / %2 clips done</source>
      <translation>已完成 %1 / %2 个短片</translation>
    </message>
    <message>
      <source>Review</source>
      <translation>待审</translation>
    </message>
    <message>
      <source>Rel.</source>
      <translation>可靠</translation>
    </message>
    <message>
      <source>Res.</source>
      <translation>已决</translation>
    </message>
    <message>
      <source>Merge ready clips</source>
      <translation>合并就绪的短片</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
  </context>
  <context>
    <name>Review</name>
    <message>
      <source>Enter accept majority · K keep · D delete · L label · 1/2/3 take an annotator's version · [ ] move edges (Ctrl inward, Shift ×5) · N next to review · Ctrl+Z undo, Ctrl+Shift+Z redo · Ctrl+Enter finalise · Ctrl+N next clip · ? all keys</source>
      <translation>Enter 接受多数意见 · K 保留 · D 删除 · L 标签 · 1/2/3 采用某位标注员的版本 · [ ] 移动边缘（Ctrl 向内，Shift ×5）· N 下一个待审核 · Ctrl+Z 撤销，Ctrl+Shift+Z 重做 · Ctrl+Enter 定稿 · Ctrl+N 下一个短片 · ? 所有按键</translation>
    </message>
    <message>
      <source>union of the two most agreeing annotations (IoU &gt; 0.5)</source>
      <translation>两个最一致标注的并集（IoU &gt; 0.5）</translation>
    </message>
    <message>
      <source>the best partner's annotation (IoU ≤ 0.5)</source>
      <translation>最佳搭档的标注（IoU ≤ 0.5）</translation>
    </message>
    <message>
      <source>a single annotation</source>
      <translation>单个标注</translation>
    </message>
    <message>
      <source>passed</source>
      <translation>通过</translation>
    </message>
    <message>
      <source>not passed</source>
      <translation>未通过</translation>
    </message>
    <message>
      <source>&lt;b&gt;No instances.&lt;/b&gt; Every annotator finished this clip without marking anything.</source>
      <translation>&lt;b&gt;没有实例。&lt;/b&gt;所有标注员都未在此短片中标出任何内容便已完成。</translation>
    </message>
    <message>
      <source>majority says delete</source>
      <translation>多数意见为删除</translation>
    </message>
    <message>
      <source>decided delete</source>
      <translation>已决定删除</translation>
    </message>
    <message>
      <source>frames {start}–{end} ({seconds:.2f} s)</source>
      <translation>第 {start}–{end} 帧（{seconds:.2f} 秒）</translation>
    </message>
    <message>
      <source>It is finalised: exported as a clip with no micro-action.</source>
      <translation>已定稿：作为无微动作的短片导出。</translation>
    </message>
    <message>
      <source>Nothing to decide: Ctrl+Enter finalises it as a clip with no micro-action.</source>
      <translation>无需决定：Ctrl+Enter 将其定稿为无微动作的短片。</translation>
    </message>
    <message>
      <source>No instance selected.</source>
      <translation>未选中实例。</translation>
    </message>
    <message>
      <source>did not mark it</source>
      <translation>未标出</translation>
    </message>
    <message>
      <source>Merge: {rule}; cross-check {check}.</source>
      <translation>合并：{rule}；交叉检查{check}。</translation>
    </message>
    <message>
      <source>Majority: &lt;b&gt;{outcome}&lt;/b&gt;</source>
      <translation>多数意见：&lt;b&gt;{outcome}&lt;/b&gt;</translation>
    </message>
    <message>
      <source>Who said what</source>
      <translation>各标注员的标注</translation>
    </message>
    <message>
      <source>Decision: &lt;b&gt;{outcome}&lt;/b&gt; by {who} {when}</source>
      <translation>决定：&lt;b&gt;{outcome}&lt;/b&gt;，由 {who} 于 {when} 做出</translation>
    </message>
    <message>
      <source>re-merge</source>
      <translation>需重新合并</translation>
    </message>
    <message>
      <source>keep</source>
      <translation>保留</translation>
    </message>
    <message>
      <source>delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>final</source>
      <translation>已定稿</translation>
    </message>
    <message>
      <source>ready</source>
      <translation>可定稿</translation>
    </message>
    <message>
      <source>open</source>
      <translation>待审核</translation>
    </message>
    <message>
      <source>no majority</source>
      <translation>无多数意见</translation>
    </message>
    <message>
      <source>keep, boundaries adjusted</source>
      <translation>保留，已调整边界</translation>
    </message>
    <message>
      <source>take {name}'s version</source>
      <translation>采用 {name} 的版本</translation>
    </message>
    <message>
      <source>label → {code} {name}</source>
      <translation>标签 → {code} {name}</translation>
    </message>
    <message>
      <source>Ctrl+M merges it again once its annotators are done</source>
      <translation>标注员完成后，Ctrl+M 会重新合并它</translation>
    </message>
    <message>
      <source>Merge every clip whose annotators are all done (Ctrl+M); decisions already made are kept</source>
      <translation>合并所有标注员均已完成的短片（Ctrl+M）；已做出的决定会保留</translation>
    </message>
    <message>
      <source>no instances: every annotator finished it without marking anything</source>
      <translation>无实例：所有标注员都未标出任何内容便已完成</translation>
    </message>
    <message>
      <source>{clips} merged clips · {needs} instances need review · {final} finalised{changed}</source>
      <translation>{clips} 个已合并短片 · {needs} 个实例待审核 · {final} 个已定稿{changed}</translation>
    </message>
    <message>
      <source>{needs} need review, {reliable} reliable, {resolved} resolved</source>
      <translation>{needs} 个待审核，{reliable} 个可靠，{resolved} 个已解决</translation>
    </message>
    <message>
      <source>{name} (subject {subject}): {counts}</source>
      <translation>{name}（受试者 {subject}）：{counts}</translation>
    </message>
    <message>
      <source>Undo</source>
      <translation>撤销</translation>
    </message>
    <message>
      <source>Redo</source>
      <translation>重做</translation>
    </message>
    <message>
      <source>Select a merged instance first (click it, N for the next to review)</source>
      <translation>请先选中一个合并实例（单击它，或按 N 跳到下一个待审核）</translation>
    </message>
    <message>
      <source>Undone: instance {start}–{end} is undecided again ({status})</source>
      <translation>已撤销：实例 {start}–{end} 重新变为未决定（{status}）</translation>
    </message>
    <message>
      <source>No majority for this instance: choose K (keep), D (delete), L (label) or 1/2/3 (one annotator's version)</source>
      <translation>此实例没有多数意见：请选择 K（保留）、D（删除）、L（标签）或 1/2/3（某位标注员的版本）</translation>
    </message>
    <message>
      <source>This clip is not finalised</source>
      <translation>此短片尚未定稿</translation>
    </message>
    <message>
      <source>decision '{outcome}'</source>
      <translation>决定“{outcome}”</translation>
    </message>
    <message>
      <source>Decided: {outcome} ({start_frame}–{end_frame}, {action})</source>
      <translation>已决定：{outcome}（{start_frame}–{end_frame}，{action}）</translation>
    </message>
    <message>
      <source>Decision</source>
      <translation>决定</translation>
    </message>
    <message>
      <source>Redone: '{outcome}' ({start}–{end}, {action})</source>
      <translation>已重做：“{outcome}”（{start}–{end}，{action}）</translation>
    </message>
    <message>
      <source>Undone: back to '{outcome}'</source>
      <translation>已撤销：恢复为“{outcome}”</translation>
    </message>
    <message>
      <source>Nothing to undo in this clip</source>
      <translation>此短片没有可撤销的操作</translation>
    </message>
    <message>
      <source>Nothing to redo in this clip</source>
      <translation>此短片没有可重做的操作</translation>
    </message>
    <message>
      <source>Clip {name} finalised</source>
      <translation>短片 {name} 已定稿</translation>
    </message>
    <message>
      <source>Clip {name} is open for review again (Ctrl+Enter finalises it)</source>
      <translation>短片 {name} 已重新开放审核（Ctrl+Enter 定稿）</translation>
    </message>
    <message>
      <source>This clip has {count} annotators; there is no annotator {number}</source>
      <translation>此短片有 {count} 位标注员；没有第 {number} 位标注员</translation>
    </message>
    <message>
      <source>{name} did not mark this instance: nothing of theirs to take (D deletes it, K keeps the merged one)</source>
      <translation>{name} 未标出此实例：没有可采用的版本（D 删除，K 保留合并结果）</translation>
    </message>
    <message>
      <source>{what} refused: merged instance {iid} no longer exists (the merge was re-run)</source>
      <translation>{what}被拒绝：合并实例 {iid} 已不存在（合并已重新运行）</translation>
    </message>
    <message>
      <source>{what} refused: {message}</source>
      <translation>{what}被拒绝：{message}</translation>
    </message>
    <message>
      <source>{count} left the undo history: it no longer matches what the database holds</source>
      <translation>{count} 已移出撤销历史：它与数据库中保存的内容不再一致</translation>
    </message>
    <message>
      <source>Cannot finalise: {exc}</source>
      <translation>无法定稿：{exc}</translation>
    </message>
    <message>
      <source>Cannot un-finalise: {exc}</source>
      <translation>无法取消定稿：{exc}</translation>
    </message>
    <message>
      <source>needs review</source>
      <translation>待审核</translation>
    </message>
    <message>
      <source>reliable</source>
      <translation>可靠</translation>
    </message>
    <message>
      <source>resolved</source>
      <translation>已解决</translation>
    </message>
    <message>
      <source>review: {outcome}?</source>
      <translation>审核：{outcome}？</translation>
    </message>
    <message>
      <source>changed since merge: re-merge (Ctrl+M)</source>
      <translation>合并后已改动：请重新合并（Ctrl+M）</translation>
    </message>
    <message>
      <source>No clip left to review</source>
      <translation>没有待审核的短片了</translation>
    </message>
    <message>
      <source>Reading the clips to review…</source>
      <translation>正在读取待审核短片…</translation>
    </message>
    <message>
      <source>finalised</source>
      <translation>已定稿</translation>
    </message>
    <message>
      <source>No merged clips yet: press Ctrl+M to merge the clips whose annotators are done</source>
      <translation>尚无已合并的短片：按 Ctrl+M 合并标注员均已完成的短片</translation>
    </message>
    <message>
      <source>The merge is already running</source>
      <translation>合并已在运行</translation>
    </message>
    <message>
      <source>This clip is already finalised (Clip &gt; Un-finalise opens it for review again)</source>
      <translation>此短片已定稿（短片 &gt; 取消定稿 可重新开放审核）</translation>
    </message>
    <message>
      <source>Not finalised</source>
      <translation>未定稿</translation>
    </message>
    <message>
      <source>Annotators' segments are read-only here: adjust the merged instance instead</source>
      <translation>此处标注员的片段只读：请改为调整合并实例</translation>
    </message>
    <message>
      <source>{needs} to review · {reliable} reliable · {resolved} resolved · {state}</source>
      <translation>{needs} 个待审核 · {reliable} 个可靠 · {resolved} 个已解决 · {state}</translation>
    </message>
    <message>
      <source>{title} — review — {user}</source>
      <translation>{title} — 审核 — {user}</translation>
    </message>
    <message>
      <source>Merge cancelled; clips already stored stay merged</source>
      <translation>合并已取消；已保存的短片保持合并状态</translation>
    </message>
    <message>
      <source>Merged {clips}: {written} written, {kept} kept, {dropped} dropped (changed: back to review), {not_ready} not ready</source>
      <translation>已合并 {clips}：写入 {written}，保留 {kept}，丢弃 {dropped} 项（有改动：重新审核），{not_ready}未就绪</translation>
    </message>
    <message>
      <source>Label for instance {start_frame}–{end_frame}</source>
      <translation>实例 {start_frame}–{end_frame} 的标签</translation>
    </message>
    <message>
      <source>This clip is finalised: Ctrl+N opens the next clip to review</source>
      <translation>此短片已定稿：Ctrl+N 打开下一个待审核短片</translation>
    </message>
    <message>
      <source>Nothing left to review in this clip: Ctrl+Enter finalises it, Ctrl+N opens the next clip</source>
      <translation>此短片已无待审核内容：Ctrl+Enter 定稿，Ctrl+N 打开下一个短片</translation>
    </message>
    <message>
      <source>Open clip {name} for review again? It leaves the export until it is finalised again.</source>
      <translation>重新开放短片 {name} 供审核吗？在再次定稿之前，它不会被导出。</translation>
    </message>
    <message>
      <source>ready to finalise</source>
      <translation>可定稿</translation>
    </message>
    <message>
      <source>in review</source>
      <translation>审核中</translation>
    </message>
    <message>
      <source>Showing the {edge} edge (frame {shown}) of an undecided instance: the same key again moves it, which decides 'keep, boundaries adjusted'</source>
      <translation>正在显示未决定实例的{edge}（第 {shown} 帧）：再按同一键会移动它，即决定“保留，已调整边界”</translation>
    </message>
    <message>
      <source>Finalise clip {name}? Its merged instances become the ground truth that the export reads (Clip &gt; Un-finalise undoes this).</source>
      <translation>定稿短片 {name} 吗？其合并实例将成为导出所读取的真值（短片 &gt; 取消定稿 可撤销）。</translation>
    </message>
    <message>
      <source>Clip {name} finalised: Ctrl+N opens the next clip to review</source>
      <translation>短片 {name} 已定稿：Ctrl+N 打开下一个待审核短片</translation>
    </message>
    <message>
      <source>Merge failed: {exc}</source>
      <translation>合并失败：{exc}</translation>
    </message>
    <message>
      <source>start</source>
      <translation>起点</translation>
    </message>
    <message>
      <source>end</source>
      <translation>终点</translation>
    </message>
  </context>
  <context>
    <name>Start</name>
    <message>
      <source>New user…</source>
      <translation>新用户…</translation>
    </message>
    <message>
      <source>annotator</source>
      <translation>标注员</translation>
    </message>
    <message>
      <source>reviewer</source>
      <translation>审核员</translation>
    </message>
    <message>
      <source>MMAD Studio — open a project</source>
      <translation>MMAD Studio — 打开项目</translation>
    </message>
    <message>
      <source>project folder (holds project.toml)</source>
      <translation>项目文件夹（包含 project.toml）</translation>
    </message>
    <message>
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <source>New project…</source>
      <translation>新建项目…</translation>
    </message>
    <message>
      <source>your name</source>
      <translation>你的名字</translation>
    </message>
    <message>
      <source>Project</source>
      <translation>项目</translation>
    </message>
    <message>
      <source>You are</source>
      <translation>你是</translation>
    </message>
    <message>
      <source>New user</source>
      <translation>新用户</translation>
    </message>
    <message>
      <source>Role</source>
      <translation>角色</translation>
    </message>
    <message>
      <source>Project folder</source>
      <translation>项目文件夹</translation>
    </message>
    <message>
      <source>Folder for the new project (MMA-52 taxonomy)</source>
      <translation>新项目的文件夹（MMA-52 分类体系）</translation>
    </message>
    <message>
      <source>Type your name to add yourself to the project</source>
      <translation>输入你的名字，将自己加入项目</translation>
    </message>
  </context>
  <context>
    <name>Shortcut</name>
    <message>
      <source>Open next clip to do</source>
      <translation>打开下一个待做短片</translation>
    </message>
    <message>
      <source>next clip that is not done</source>
      <translation>下一个尚未完成的短片</translation>
    </message>
    <message>
      <source>Mark clip done</source>
      <translation>标记短片为已完成</translation>
    </message>
    <message>
      <source>Done — no instances</source>
      <translation>已完成 — 无实例</translation>
    </message>
    <message>
      <source>the explicit answer 'this clip has no micro-action'</source>
      <translation>明确回答“此短片没有微动作”</translation>
    </message>
    <message>
      <source>Reopen clip (not done)</source>
      <translation>重新打开短片（未完成）</translation>
    </message>
    <message>
      <source>Find in the project…</source>
      <translation>在项目中查找…</translation>
    </message>
    <message>
      <source>instances by action, body part or annotator</source>
      <translation>按动作、身体部位或标注员查找实例</translation>
    </message>
    <message>
      <source>Quit</source>
      <translation>退出</translation>
    </message>
    <message>
      <source>everything is already saved</source>
      <translation>所有内容均已保存</translation>
    </message>
    <message>
      <source>Undo</source>
      <translation>撤销</translation>
    </message>
    <message>
      <source>Redo</source>
      <translation>重做</translation>
    </message>
    <message>
      <source>Mark start at playhead</source>
      <translation>在播放头处标记起点</translation>
    </message>
    <message>
      <source>Mark end at playhead, then label</source>
      <translation>在播放头处标记终点，然后选择标签</translation>
    </message>
    <message>
      <source>at the first frame after the action: I at 30, O at 54 is 24 frames</source>
      <translation>放在动作结束后的第一帧：I 在 30、O 在 54 即为 24 帧</translation>
    </message>
    <message>
      <source>Change label…</source>
      <translation>修改标签…</translation>
    </message>
    <message>
      <source>Delete segment</source>
      <translation>删除片段</translation>
    </message>
    <message>
      <source>Split at playhead</source>
      <translation>在播放头处拆分</translation>
    </message>
    <message>
      <source>Join with overlapping same action</source>
      <translation>与重叠的相同动作合并</translation>
    </message>
    <message>
      <source>Start one frame earlier</source>
      <translation>起点提前一帧</translation>
    </message>
    <message>
      <source>Start one frame later</source>
      <translation>起点推后一帧</translation>
    </message>
    <message>
      <source>End one frame later</source>
      <translation>终点推后一帧</translation>
    </message>
    <message>
      <source>End one frame earlier</source>
      <translation>终点提前一帧</translation>
    </message>
    <message>
      <source>Start 5 frames earlier</source>
      <translation>起点提前 5 帧</translation>
    </message>
    <message>
      <source>Start 5 frames later</source>
      <translation>起点推后 5 帧</translation>
    </message>
    <message>
      <source>End 5 frames later</source>
      <translation>终点推后 5 帧</translation>
    </message>
    <message>
      <source>End 5 frames earlier</source>
      <translation>终点提前 5 帧</translation>
    </message>
    <message>
      <source>Previous segment</source>
      <translation>上一个片段</translation>
    </message>
    <message>
      <source>Next segment</source>
      <translation>下一个片段</translation>
    </message>
    <message>
      <source>Clear mark and selection</source>
      <translation>清除标记和选择</translation>
    </message>
    <message>
      <source>Play / pause</source>
      <translation>播放 / 暂停</translation>
    </message>
    <message>
      <source>Previous frame</source>
      <translation>上一帧</translation>
    </message>
    <message>
      <source>Next frame</source>
      <translation>下一帧</translation>
    </message>
    <message>
      <source>Back 10 frames</source>
      <translation>后退 10 帧</translation>
    </message>
    <message>
      <source>Forward 10 frames</source>
      <translation>前进 10 帧</translation>
    </message>
    <message>
      <source>First frame</source>
      <translation>第一帧</translation>
    </message>
    <message>
      <source>Last frame</source>
      <translation>最后一帧</translation>
    </message>
    <message>
      <source>Cycle loop mode</source>
      <translation>切换循环模式</translation>
    </message>
    <message>
      <source>no loop / selected segment / ±15 frames</source>
      <translation>不循环 / 所选片段 / ±15 帧</translation>
    </message>
    <message>
      <source>Slower</source>
      <translation>减速</translation>
    </message>
    <message>
      <source>Faster</source>
      <translation>加速</translation>
    </message>
    <message>
      <source>Temporal gradient view</source>
      <translation>时间梯度视图</translation>
    </message>
    <message>
      <source>difference from the previous frame</source>
      <translation>与上一帧的差异</translation>
    </message>
    <message>
      <source>Go to frame or time…</source>
      <translation>跳转到帧或时间…</translation>
    </message>
    <message>
      <source>type 123 (a frame) or 12.5s (a time)</source>
      <translation>输入 123（帧号）或 12.5s（时间）</translation>
    </message>
    <message>
      <source>Zoom video in</source>
      <translation>放大视频</translation>
    </message>
    <message>
      <source>also the mouse wheel over the video</source>
      <translation>也可在视频上滚动鼠标滚轮</translation>
    </message>
    <message>
      <source>Zoom video out</source>
      <translation>缩小视频</translation>
    </message>
    <message>
      <source>Whole video frame</source>
      <translation>显示完整画面</translation>
    </message>
    <message>
      <source>or double-click the video</source>
      <translation>或双击视频</translation>
    </message>
    <message>
      <source>Pan video left</source>
      <translation>视频左移</translation>
    </message>
    <message>
      <source>or drag the zoomed video</source>
      <translation>或拖动放大的视频</translation>
    </message>
    <message>
      <source>Pan video right</source>
      <translation>视频右移</translation>
    </message>
    <message>
      <source>Pan video up</source>
      <translation>视频上移</translation>
    </message>
    <message>
      <source>Pan video down</source>
      <translation>视频下移</translation>
    </message>
    <message>
      <source>Collapse empty lanes</source>
      <translation>折叠空轨道</translation>
    </message>
    <message>
      <source>lanes without a segment take no room</source>
      <translation>没有片段的轨道不占空间</translation>
    </message>
    <message>
      <source>Zoom in (around playhead)</source>
      <translation>放大（以播放头为中心）</translation>
    </message>
    <message>
      <source>Zoom out</source>
      <translation>缩小</translation>
    </message>
    <message>
      <source>Whole clip</source>
      <translation>整个短片</translation>
    </message>
    <message>
      <source>Keyboard shortcuts</source>
      <translation>键盘快捷键</translation>
    </message>
    <message>
      <source>Open next clip to review</source>
      <translation>打开下一个待审核短片</translation>
    </message>
    <message>
      <source>Merge ready clips</source>
      <translation>合并就绪的短片</translation>
    </message>
    <message>
      <source>merge every clip whose annotators are done</source>
      <translation>合并所有标注员都已完成的短片</translation>
    </message>
    <message>
      <source>Reload from the database</source>
      <translation>从数据库重新加载</translation>
    </message>
    <message>
      <source>the annotators' latest work, and which clips changed since their merge</source>
      <translation>标注员的最新工作，以及合并后发生变化的短片</translation>
    </message>
    <message>
      <source>Finalise clip…</source>
      <translation>定稿短片…</translation>
    </message>
    <message>
      <source>asks first; only when nothing needs review</source>
      <translation>会先询问；仅在没有待审核项时可用</translation>
    </message>
    <message>
      <source>Un-finalise clip…</source>
      <translation>取消定稿…</translation>
    </message>
    <message>
      <source>open a finalised clip for review again</source>
      <translation>重新打开已定稿的短片进行审核</translation>
    </message>
    <message>
      <source>instances by action, body part or annotator; clips most disputed</source>
      <translation>按动作、身体部位或标注员查找实例；分歧最大的短片</translation>
    </message>
    <message>
      <source>Export the dataset…</source>
      <translation>导出数据集…</translation>
    </message>
    <message>
      <source>split, counts, formats; as mmad export</source>
      <translation>划分、计数、格式；与 mmad export 相同</translation>
    </message>
    <message>
      <source>every decision is already saved</source>
      <translation>所有决定均已保存</translation>
    </message>
    <message>
      <source>Accept majority outcome</source>
      <translation>接受多数意见</translation>
    </message>
    <message>
      <source>Keep</source>
      <translation>保留</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>out of the ground truth; the segments stay stored</source>
      <translation>从真值中移除；片段仍保存在库中</translation>
    </message>
    <message>
      <source>Take annotator 1's version</source>
      <translation>采用标注员 1 的版本</translation>
    </message>
    <message>
      <source>Take annotator 2's version</source>
      <translation>采用标注员 2 的版本</translation>
    </message>
    <message>
      <source>Take annotator 3's version</source>
      <translation>采用标注员 3 的版本</translation>
    </message>
    <message>
      <source>Undo decision</source>
      <translation>撤销决定</translation>
    </message>
    <message>
      <source>back to the instance's previous decision, or to undecided</source>
      <translation>回到该实例之前的决定，或回到未决定</translation>
    </message>
    <message>
      <source>Redo decision</source>
      <translation>重做决定</translation>
    </message>
    <message>
      <source>Next instance to review</source>
      <translation>下一个待审核实例</translation>
    </message>
    <message>
      <source>Previous instance</source>
      <translation>上一个实例</translation>
    </message>
    <message>
      <source>Next instance</source>
      <translation>下一个实例</translation>
    </message>
    <message>
      <source>Play / pause (loops the instance)</source>
      <translation>播放 / 暂停（循环该实例）</translation>
    </message>
    <message>
      <source>Accept proposal</source>
      <translation>接受建议</translation>
    </message>
    <message>
      <source>it becomes your segment (Ctrl+Z undoes)</source>
      <translation>它会成为你的片段（Ctrl+Z 撤销）</translation>
    </message>
    <message>
      <source>Reject proposal</source>
      <translation>拒绝建议</translation>
    </message>
    <message>
      <source>Next proposal</source>
      <translation>下一个建议</translation>
    </message>
    <message>
      <source>Previous proposal</source>
      <translation>上一个建议</translation>
    </message>
    <message>
      <source>Raise proposal threshold</source>
      <translation>提高建议阈值</translation>
    </message>
    <message>
      <source>show fewer, surer proposals</source>
      <translation>显示更少但更可靠的建议</translation>
    </message>
    <message>
      <source>Lower proposal threshold</source>
      <translation>降低建议阈值</translation>
    </message>
    <message>
      <source>show more proposals</source>
      <translation>显示更多建议</translation>
    </message>
    <message>
      <source>Reset proposal threshold</source>
      <translation>重置建议阈值</translation>
    </message>
    <message>
      <source>back to the model version's calibrated value</source>
      <translation>恢复为该模型版本的校准值</translation>
    </message>
    <message>
      <source>Show skeleton</source>
      <translation>显示骨架</translation>
    </message>
    <message>
      <source>the pose landmarks over the frame (rough where limbs cross)</source>
      <translation>在画面上显示姿态关键点（肢体交叉处较粗略）</translation>
    </message>
    <message>
      <source>Snap edge to motion</source>
      <translation>边界吸附到运动</translation>
    </message>
    <message>
      <source>the selected segment's edge nearer the playhead moves to its body part's motion onset (start) or offset (end) within ±15 frames; Ctrl+Z undoes</source>
      <translation>所选片段中靠近播放头的边界移动到该身体部位 ±15 帧内的运动起点（起始边）或终点（结束边）；Ctrl+Z 撤销</translation>
    </message>
    <message>
      <source>Propose for this clip</source>
      <translation>为此短片生成建议</translation>
    </message>
    <message>
      <source>run the active model on the open clip</source>
      <translation>在当前短片上运行启用的模型</translation>
    </message>
    <message>
      <source>Propose for my queue</source>
      <translation>为我的队列生成建议</translation>
    </message>
    <message>
      <source>run the active model on every clip of your queue not done yet</source>
      <translation>在你队列中所有未完成的短片上运行启用的模型</translation>
    </message>
    <message>
      <source>Cancel the model run</source>
      <translation>取消模型运行</translation>
    </message>
    <message>
      <source>Models…</source>
      <translation>模型…</translation>
    </message>
    <message>
      <source>the project's trained versions</source>
      <translation>项目中已训练的版本</translation>
    </message>
    <message>
      <source>Train a model…</source>
      <translation>训练模型…</translation>
    </message>
    <message>
      <source>train a new version on the finalised clips of the stored split</source>
      <translation>用已保存划分中的定稿短片训练新版本</translation>
    </message>
  </context>
  <context>
    <name>Menu</name>
    <message>
      <source>Clip</source>
      <translation>短片</translation>
    </message>
    <message>
      <source>Edit</source>
      <translation>编辑</translation>
    </message>
    <message>
      <source>Play</source>
      <translation>播放</translation>
    </message>
    <message>
      <source>View</source>
      <translation>视图</translation>
    </message>
    <message>
      <source>Help</source>
      <translation>帮助</translation>
    </message>
    <message>
      <source>Decide</source>
      <translation>决定</translation>
    </message>
    <message>
      <source>Model</source>
      <translation>模型</translation>
    </message>
    <message>
      <source>Pose</source>
      <translation>姿态</translation>
    </message>
  </context>
  <context>
    <name>Taxonomy</name>
    <message>
      <source>body</source>
      <translation>躯干</translation>
    </message>
    <message>
      <source>head</source>
      <translation>头部</translation>
    </message>
    <message>
      <source>upper limb</source>
      <translation>上肢</translation>
    </message>
    <message>
      <source>lower limb</source>
      <translation>下肢</translation>
    </message>
    <message>
      <source>body-hand</source>
      <translation>手-躯干</translation>
    </message>
    <message>
      <source>head-hand</source>
      <translation>手-头部</translation>
    </message>
    <message>
      <source>leg-hand</source>
      <translation>手-腿部</translation>
    </message>
    <message>
      <source>shaking body</source>
      <translation>晃动身体</translation>
    </message>
    <message>
      <source>sitting straightly</source>
      <translation>坐直</translation>
    </message>
    <message>
      <source>shrugging</source>
      <translation>耸肩</translation>
    </message>
    <message>
      <source>turning around</source>
      <translation>转身</translation>
    </message>
    <message>
      <source>rising up</source>
      <translation>起身</translation>
    </message>
    <message>
      <source>bowing head</source>
      <translation>低头</translation>
    </message>
    <message>
      <source>head up</source>
      <translation>抬头</translation>
    </message>
    <message>
      <source>tilting head</source>
      <translation>歪头</translation>
    </message>
    <message>
      <source>turning head</source>
      <translation>转头</translation>
    </message>
    <message>
      <source>nodding</source>
      <translation>点头</translation>
    </message>
    <message>
      <source>shaking head</source>
      <translation>摇头</translation>
    </message>
    <message>
      <source>scratching arms</source>
      <translation>挠手臂</translation>
    </message>
    <message>
      <source>playing objects</source>
      <translation>摆弄物品</translation>
    </message>
    <message>
      <source>putting hands together</source>
      <translation>双手合拢</translation>
    </message>
    <message>
      <source>rubbing hands</source>
      <translation>搓手</translation>
    </message>
    <message>
      <source>pointing oneself</source>
      <translation>指向自己</translation>
    </message>
    <message>
      <source>clenching fist</source>
      <translation>握拳</translation>
    </message>
    <message>
      <source>stretching arms</source>
      <translation>伸展手臂</translation>
    </message>
    <message>
      <source>retracting arms</source>
      <translation>收回手臂</translation>
    </message>
    <message>
      <source>waving</source>
      <translation>挥手</translation>
    </message>
    <message>
      <source>spreading hands</source>
      <translation>摊手</translation>
    </message>
    <message>
      <source>hands touching fingers</source>
      <translation>手触碰手指</translation>
    </message>
    <message>
      <source>other finger movements</source>
      <translation>其他手指动作</translation>
    </message>
    <message>
      <source>illustrative gestures</source>
      <translation>说明性手势</translation>
    </message>
    <message>
      <source>shaking legs</source>
      <translation>抖腿</translation>
    </message>
    <message>
      <source>curling legs</source>
      <translation>蜷腿</translation>
    </message>
    <message>
      <source>spread legs</source>
      <translation>张开双腿</translation>
    </message>
    <message>
      <source>closing legs</source>
      <translation>并拢双腿</translation>
    </message>
    <message>
      <source>crossing legs</source>
      <translation>跷二郎腿</translation>
    </message>
    <message>
      <source>stretching feet</source>
      <translation>伸脚</translation>
    </message>
    <message>
      <source>retracting feet</source>
      <translation>收脚</translation>
    </message>
    <message>
      <source>tiptoe</source>
      <translation>踮脚</translation>
    </message>
    <message>
      <source>scratching or touching neck</source>
      <translation>挠或摸脖子</translation>
    </message>
    <message>
      <source>scratching or touching chest</source>
      <translation>挠或摸胸口</translation>
    </message>
    <message>
      <source>scratching or touching back</source>
      <translation>挠或摸后背</translation>
    </message>
    <message>
      <source>scratching or touching shoulder</source>
      <translation>挠或摸肩膀</translation>
    </message>
    <message>
      <source>arms akimbo</source>
      <translation>双手叉腰</translation>
    </message>
    <message>
      <source>crossing arms</source>
      <translation>双臂交叉</translation>
    </message>
    <message>
      <source>playing or tidying hair</source>
      <translation>摆弄或整理头发</translation>
    </message>
    <message>
      <source>scratching or touching hindbrain</source>
      <translation>挠或摸后脑勺</translation>
    </message>
    <message>
      <source>scratching or touching forehead</source>
      <translation>挠或摸额头</translation>
    </message>
    <message>
      <source>scratching or touching face</source>
      <translation>挠或摸脸</translation>
    </message>
    <message>
      <source>rubbing eyes</source>
      <translation>揉眼睛</translation>
    </message>
    <message>
      <source>touching nose</source>
      <translation>摸鼻子</translation>
    </message>
    <message>
      <source>touching ears</source>
      <translation>摸耳朵</translation>
    </message>
    <message>
      <source>covering face</source>
      <translation>捂脸</translation>
    </message>
    <message>
      <source>covering mouth</source>
      <translation>捂嘴</translation>
    </message>
    <message>
      <source>pushing glasses</source>
      <translation>推眼镜</translation>
    </message>
    <message>
      <source>patting legs</source>
      <translation>拍腿</translation>
    </message>
    <message>
      <source>touching legs</source>
      <translation>摸腿</translation>
    </message>
    <message>
      <source>scratching legs</source>
      <translation>挠腿</translation>
    </message>
    <message>
      <source>scratching feet</source>
      <translation>挠脚</translation>
    </message>
    <message>
      <source>swing body</source>
      <translation>摆动身体</translation>
    </message>
    <message>
      <source>change body direction</source>
      <translation>改变身体朝向</translation>
    </message>
    <message>
      <source>tilting forward/backward</source>
      <translation>前倾/后仰</translation>
    </message>
    <message>
      <source>raising head</source>
      <translation>抬头</translation>
    </message>
    <message>
      <source>compound head movements</source>
      <translation>复合头部动作</translation>
    </message>
    <message>
      <source>semantic head movements</source>
      <translation>语义性头部动作</translation>
    </message>
    <message>
      <source>swing hair</source>
      <translation>甩头发</translation>
    </message>
    <message>
      <source>pointing</source>
      <translation>指点</translation>
    </message>
    <message>
      <source>clapping</source>
      <translation>拍手</translation>
    </message>
    <message>
      <source>OK gestures</source>
      <translation>OK 手势</translation>
    </message>
    <message>
      <source>thumbs up</source>
      <translation>竖大拇指</translation>
    </message>
    <message>
      <source>V gestures</source>
      <translation>V 字手势</translation>
    </message>
    <message>
      <source>other symbolic gestures</source>
      <translation>其他象征性手势</translation>
    </message>
    <message>
      <source>interlace fingers</source>
      <translation>十指交叉</translation>
    </message>
    <message>
      <source>holding fingers</source>
      <translation>握住手指</translation>
    </message>
    <message>
      <source>spire gestures</source>
      <translation>尖塔手势</translation>
    </message>
    <message>
      <source>other finger interaction movements</source>
      <translation>其他手指互动动作</translation>
    </message>
    <message>
      <source>other hand movements</source>
      <translation>其他手部动作</translation>
    </message>
    <message>
      <source>retracting and stretching arms</source>
      <translation>伸缩手臂</translation>
    </message>
    <message>
      <source>rubbing hands with clenched</source>
      <translation>握拳搓手</translation>
    </message>
    <message>
      <source>rolling thumbs</source>
      <translation>转动拇指</translation>
    </message>
    <message>
      <source>holding hands</source>
      <translation>双手相握</translation>
    </message>
    <message>
      <source>clenching fists</source>
      <translation>握拳</translation>
    </message>
    <message>
      <source>shaking</source>
      <translation>抖动</translation>
    </message>
    <message>
      <source>wrist movements</source>
      <translation>手腕动作</translation>
    </message>
    <message>
      <source>pulling collar</source>
      <translation>拉衣领</translation>
    </message>
    <message>
      <source>checking time</source>
      <translation>看时间</translation>
    </message>
    <message>
      <source>folding arms</source>
      <translation>抱臂</translation>
    </message>
    <message>
      <source>folding arms rubbing</source>
      <translation>抱臂摩擦</translation>
    </message>
    <message>
      <source>hands behind back</source>
      <translation>双手背后</translation>
    </message>
    <message>
      <source>rubbing spire hands</source>
      <translation>尖塔式搓手</translation>
    </message>
    <message>
      <source>ankle movements</source>
      <translation>脚踝动作</translation>
    </message>
    <message>
      <source>stretching legs</source>
      <translation>伸腿</translation>
    </message>
    <message>
      <source>retracting legs</source>
      <translation>收腿</translation>
    </message>
    <message>
      <source>scratching or touching chest or abdomen</source>
      <translation>挠或摸胸口或腹部</translation>
    </message>
    <message>
      <source>scratching or touching cheek</source>
      <translation>挠或摸脸颊</translation>
    </message>
    <message>
      <source>scratching or touching chin</source>
      <translation>挠或摸下巴</translation>
    </message>
    <message>
      <source>scratching or touching head</source>
      <translation>挠或摸头</translation>
    </message>
    <message>
      <source>scratching or touching philtrum</source>
      <translation>挠或摸人中</translation>
    </message>
    <message>
      <source>cradling chin</source>
      <translation>托下巴</translation>
    </message>
    <message>
      <source>rubbing lip</source>
      <translation>揉嘴唇</translation>
    </message>
    <message>
      <source>covering eyes</source>
      <translation>捂眼睛</translation>
    </message>
    <message>
      <source>folding hands on legs</source>
      <translation>双手交叠放在腿上</translation>
    </message>
    <message>
      <source>flattening hands on legs</source>
      <translation>双手平放在腿上</translation>
    </message>
    <message>
      <source>placing hands on legs with elbows outward</source>
      <translation>双手放在腿上、肘部外张</translation>
    </message>
    <message>
      <source>rubbing knee</source>
      <translation>揉膝盖</translation>
    </message>
  </context>
</TS>
