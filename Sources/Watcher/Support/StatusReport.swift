import AWSClient
import AWSCore
import AWSCredentialProviders
import Foundation
import Model

/// How `status` shows its results.
enum StatusReport {
    typealias Row = (WatchedPool, Result<BulkPublishDetails, CognitoSyncError>)

    /// A table with every field of each response, or the error instead.
    static func table(_ rows: [Row]) -> String {
        var table = TextTable(headers: ["POOL", "NAME", "STATUS", "STARTED", "COMPLETED", "DURATION", "FAILURE MESSAGE / ERROR"])
        for (pool, result) in rows {
            switch result {
            case .success(let details):
                let duration = details.startTime.flatMap { start in details.completeTime.map { $0.timeIntervalSince(start) } }
                table.append([
                    pool.id.rawValue, pool.name ?? "-", details.status?.rawValue ?? "-",
                    details.startTime.map(EventText.timestamp) ?? "-",
                    details.completeTime.map(EventText.timestamp) ?? "-",
                    duration.map(EventText.duration) ?? "-",
                    details.failureMessage.map(OneLine.clean) ?? "",
                ])
            case .failure(let error):
                table.append([pool.id.rawValue, pool.name ?? "-", "ERROR", "-", "-", "-", OneLine.clean(error.description)])
            }
        }
        return table.render()
    }

    /// A JSON array: the response's own fields (times as ISO 8601 and epoch seconds), or an
    /// `error` object with the code, message and request id.
    static func json(_ rows: [Row]) -> String {
        let objects: [[String: Any]] = rows.map { pool, result in
            var object: [String: Any] = ["IdentityPoolId": pool.id.rawValue, "Region": pool.region]
            if let name = pool.name { object["Name"] = name }
            switch result {
            case .success(let details):
                if let status = details.status { object["BulkPublishStatus"] = status.rawValue }
                if let start = details.startTime {
                    object["BulkPublishStartTime"] = EventText.timestamp(start)
                    object["BulkPublishStartTimeEpoch"] = start.timeIntervalSince1970
                }
                if let complete = details.completeTime {
                    object["BulkPublishCompleteTime"] = EventText.timestamp(complete)
                    object["BulkPublishCompleteTimeEpoch"] = complete.timeIntervalSince1970
                }
                if let message = details.failureMessage { object["FailureMessage"] = message }
            case .failure(let error):
                var failure: [String: Any] = ["Code": error.code, "Message": error.message, "Lasting": error.isLasting]
                if let requestID = error.requestID { failure["RequestId"] = requestID }
                object["Error"] = failure
            }
            return object
        }
        let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// Text from the service made safe for one terminal line.
enum OneLine {
    static func clean(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control ? " " : scalar
        }))
    }
}
