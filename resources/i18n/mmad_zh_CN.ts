<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>Export</name>
    <message>
      <source>Too little data to balance the split on (instances: {instances}, subjects with instances: {subjects}): {subsets} got none. Finalise more clips (or import ground truth), then split again.</source>
      <translation>用于均衡划分的数据太少（实例：{instances}，有实例的受试者：{subjects}）：{subsets} 没有分到任何实例。请定稿更多片段（或导入真值标注），然后重新划分。</translation>
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
      <source>frame</source>
      <translation>帧</translation>
    </message>
  </context>
  <context>
    <name>Help</name>
    <message>
      <source>MMAD Studio — user guide</source>
      <translation>MMAD Studio — 用户指南</translation>
    </message>
    <message>
      <source>Keyboard shortcuts</source>
      <translation>键盘快捷键</translation>
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
      <translation>交叉检查未标为可靠的每个实例都等待决定，并预选了标注员的多数意见：Enter 接受，K 保留合并后的边界和标签，D 将其从标准答案中移除，1/2/3 采用某位标注员的片段。每个决定都会立即保存；没有待决实例后，Ctrl+Enter 定稿该片段。微调：`[` 作用于起始边，`]` 作用于结束边。直接按键使该边向外移动（起点提前、终点推后：片段变长），加 Ctrl 向内移动（片段变短），加 Shift 一次移动五帧。播放器会跳到被移动的边界，因此屏幕上始终显示边界帧。</translation>
    </message>
  </context>
  <context>
    <name>Window</name>
    <message>
      <source>Clips</source>
      <translation>片段</translation>
    </message>
    <message>
      <source>Instances</source>
      <translation>实例</translation>
    </message>
    <message>
      <source>Clips to review</source>
      <translation>待审核片段</translation>
    </message>
    <message>
      <source>Instance</source>
      <translation>实例</translation>
    </message>
    <message>
      <source>no clip open</source>
      <translation>未打开片段</translation>
    </message>
  </context>
  <context>
    <name>Train</name>
    <message>
      <source>validation mAP: {action} and {body}</source>
      <translation>验证集 mAP：{action} 与 {body}</translation>
    </message>
    <message>
      <source>action</source>
      <translation>动作</translation>
    </message>
    <message>
      <source>body</source>
      <translation>身体部位</translation>
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
      <source>frame or 12.5s</source>
      <translation>帧号或 12.5s</translation>
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
      <source>Decoding…</source>
      <translation>正在解码…</translation>
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
      <translation>此片段没有模型建议</translation>
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
      <source>Model {version}: {shown} of {total} pending proposals score {threshold} or more</source>
      <translation>模型 {version}：{total} 个待处理建议中有 {shown} 个分数不低于 {threshold}</translation>
    </message>
    <message>
      <source>Model {version}: none of {total} pending proposals scores {threshold} or more (Shift+Down shows more)</source>
      <translation>模型 {version}：{total} 个待处理建议的分数都低于 {threshold}（Shift+Down 显示更多）</translation>
    </message>
  </context>
  <context>
    <name>Queue</name>
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
      <translation>片段</translation>
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
      <source>All clips</source>
      <translation>全部片段</translation>
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
      <translation>按片段或受试者筛选</translation>
    </message>
    <message>
      <source>%1 / %2 clips done</source>
      <translation>已完成 %1 / %2 个片段</translation>
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
      <translation>合并就绪的片段</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
  </context>
  <context>
    <name>Shortcut</name>
    <message>
      <source>Open next clip to do</source>
      <translation>打开下一个待做片段</translation>
    </message>
    <message>
      <source>next clip that is not done</source>
      <translation>下一个尚未完成的片段</translation>
    </message>
    <message>
      <source>Mark clip done</source>
      <translation>标记片段为已完成</translation>
    </message>
    <message>
      <source>Done — no instances</source>
      <translation>已完成 — 无实例</translation>
    </message>
    <message>
      <source>the explicit answer 'this clip has no micro-action'</source>
      <translation>明确回答“此片段没有微动作”</translation>
    </message>
    <message>
      <source>Reopen clip (not done)</source>
      <translation>重新打开片段（未完成）</translation>
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
      <translation>整个片段</translation>
    </message>
    <message>
      <source>Keyboard shortcuts</source>
      <translation>键盘快捷键</translation>
    </message>
    <message>
      <source>Open next clip to review</source>
      <translation>打开下一个待审核片段</translation>
    </message>
    <message>
      <source>Merge ready clips</source>
      <translation>合并就绪的片段</translation>
    </message>
    <message>
      <source>merge every clip whose annotators are done</source>
      <translation>合并所有标注员都已完成的片段</translation>
    </message>
    <message>
      <source>Reload from the database</source>
      <translation>从数据库重新加载</translation>
    </message>
    <message>
      <source>the annotators' latest work, and which clips changed since their merge</source>
      <translation>标注员的最新工作，以及合并后发生变化的片段</translation>
    </message>
    <message>
      <source>Finalise clip…</source>
      <translation>定稿片段…</translation>
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
      <translation>重新打开已定稿的片段进行审核</translation>
    </message>
    <message>
      <source>instances by action, body part or annotator; clips most disputed</source>
      <translation>按动作、身体部位或标注员查找实例；分歧最大的片段</translation>
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
      <translation>从标准答案中移除；片段仍保存在库中</translation>
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
      <translation>为此片段生成建议</translation>
    </message>
    <message>
      <source>run the active model on the open clip</source>
      <translation>在当前片段上运行启用的模型</translation>
    </message>
    <message>
      <source>Propose for my queue</source>
      <translation>为我的队列生成建议</translation>
    </message>
    <message>
      <source>run the active model on every clip of your queue not done yet</source>
      <translation>在你队列中所有未完成的片段上运行启用的模型</translation>
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
      <translation>用已保存划分中的定稿片段训练新版本</translation>
    </message>
  </context>
  <context>
    <name>Menu</name>
    <message>
      <source>Clip</source>
      <translation>片段</translation>
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
</TS>
