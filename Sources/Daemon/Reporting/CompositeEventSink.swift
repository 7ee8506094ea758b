public import Model

/// Several sinks as one, in order: the journal first (the record an operator reads), then the
/// hooks. The first that throws stops the delivery; the loop delivers the events again later
/// to all of them, so each sink must take a repeat (the journal's `EVENT_ID`, the hook spool's
/// one entry per event).
public struct CompositeEventSink: EventSink {
    public let sinks: [any EventSink]

    public init(_ sinks: [any EventSink]) {
        self.sinks = sinks
    }

    public func deliver(_ events: [WatchEvent]) throws {
        for sink in sinks {
            try sink.deliver(events)
        }
    }
}
