/// Where the watch loop runs: the actor's serial executor, and the task executor its polls
/// prefer, so that a poll's code and the loop's share one thread.
///
/// Jobs run isolated to the executor's own serial executor, so a poll returning to the loop
/// actor finds itself on the actor's executor already and continues without a hop.
public protocol LoopExecutor: SerialExecutor, TaskExecutor {}
