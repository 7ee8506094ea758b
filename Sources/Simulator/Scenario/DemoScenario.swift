import Foundation

/// The demo scenario, built into the binary so `simulate` and `demo` need no file on disk.
/// `scenarios/demo.json` holds the same text for people to read and copy; a test keeps the two
/// identical.
public enum DemoScenario {
    /// The scenario's JSON text.
    public static let json = #"""
{
  "description": "Four pools for a 30-second demo: one run succeeds, one fails, one stalls, and one pool goes through a 503 outage before its run succeeds. Accepts the demo key pair (see scenarios/README.md).",
  "verifySignatures": true,
  "pools": [
    {
      "id": "us-east-1:4f7c2d9a-1b3e-4c8f-a6d2-9e0b5a7c3f14",
      "name": "orders",
      "timeline": [
        {"at": 0, "status": "NOT_STARTED"},
        {"at": 4, "status": "IN_PROGRESS"},
        {"at": 14, "status": "SUCCEEDED"}
      ],
      "bulkPublish": {"durationSeconds": 8, "outcome": "SUCCEEDED"}
    },
    {
      "id": "us-east-1:8a1e6b3c-7d2f-4e9a-b5c1-3f6d8e2a9b07",
      "name": "analytics",
      "timeline": [
        {"at": 0, "status": "NOT_STARTED"},
        {"at": 6, "status": "IN_PROGRESS"},
        {"at": 16, "status": "FAILED", "failureMessage": "Unable to write to Kinesis stream 'cognito-sync-analytics': the stream does not exist or the configured role cannot put records to it."}
      ],
      "bulkPublish": {"durationSeconds": 8, "outcome": "FAILED", "failureMessage": "Unable to write to Kinesis stream 'cognito-sync-analytics'."}
    },
    {
      "id": "eu-west-1:c3d9f1a7-5e2b-4a6c-8d4f-1b7e9a3c5d28",
      "name": "profiles",
      "timeline": [
        {"at": 0, "status": "NOT_STARTED"},
        {"at": 3, "status": "IN_PROGRESS"}
      ]
    },
    {
      "id": "us-west-2:e6b2a8d4-9c1f-4d7e-a3b5-7f2c4e8a1d96",
      "name": "sessions",
      "timeline": [
        {"at": 0, "status": "NOT_STARTED"},
        {"at": 2, "status": "IN_PROGRESS"},
        {"at": 20, "status": "SUCCEEDED"}
      ],
      "faults": [
        {"name": "sessions outage", "fault": "http503", "from": 5, "until": 13}
      ]
    }
  ],
  "faults": []
}
"""#

    /// The parsed scenario.
    public static func scenario() throws(ScenarioError) -> Scenario {
        try Scenario.parse(Data(json.utf8))
    }
}
