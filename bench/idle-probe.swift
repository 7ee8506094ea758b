// What wakes an idle Swift process on Linux: libdispatch's pool monitor.
//
//   swiftc -O bench/idle-probe.swift -o /tmp/idle-probe
//   /tmp/idle-probe MODE &  # then count its context switches, e.g. over 20 s:
//   cat /proc/$!/task/*/status | awk '/^voluntary_ctxt/ {s += $2} END {print s}'
//
// Every mode arms one DispatchSourceTimer on a serial queue (as the daemon does), lets it fire
// once, then idles. MODE adds one piece of work, done long before the count starts:
//   serial       nothing else
//   global       one block on DispatchQueue.global()
//   task         one Task on Swift's default (global) executor
//   hooked-task  the same Task, with Swift's global-executor hook pointing at a serial queue
//   hooked-sleep that, and the task sleeps 50 ms (Task.sleep) before it ends
// The first worker thread of a global (non-overcommit) queue starts the monitor, a 1 s timer
// that never stops: "global", "task" and "hooked-sleep" wake once a second for ever.
import Dispatch
import Foundation

typealias Enqueue = @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void

final class SerialGlobal: SerialExecutor, @unchecked Sendable {
    static let shared = SerialGlobal()
    let queue = DispatchQueue(label: "probe.global")
    func enqueue(_ job: UnownedJob) {
        queue.async { job.runSynchronously(on: self.asUnownedSerialExecutor()) }
    }
}

func installEnqueueHook() {
    guard let pointer = dlsym(dlopen(nil, RTLD_NOW), "swift_task_enqueueGlobal_hook") else {
        print("no swift_task_enqueueGlobal_hook")
        exit(1)
    }
    let hook: Enqueue = { job, _ in SerialGlobal.shared.enqueue(job) }
    withUnsafeTemporaryAllocation(of: Enqueue.self, capacity: 1) { buffer in
        guard let base = buffer.baseAddress else { return }
        base.initialize(to: hook)
        base.withMemoryRebound(to: UnsafeRawPointer.self, capacity: 1) {
            pointer.assumingMemoryBound(to: UnsafeRawPointer?.self).pointee = $0.pointee
        }
    }
}

let mode = CommandLine.arguments.dropFirst().first ?? "serial"
let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "probe.timer"))
timer.setEventHandler {}
timer.schedule(deadline: .now() + .milliseconds(10), repeating: .never, leeway: .milliseconds(1))
timer.activate()
switch mode {
case "serial":
    break
case "global":
    DispatchQueue.global().async {}
case "task":
    Task.detached {}
case "hooked-task":
    installEnqueueHook()
    Task.detached {}
case "hooked-sleep":
    installEnqueueHook()
    Task.detached { try? await Task.sleep(for: .milliseconds(50)) }
default:
    print("unknown mode \(mode)")
    exit(2)
}
dispatchMain()
