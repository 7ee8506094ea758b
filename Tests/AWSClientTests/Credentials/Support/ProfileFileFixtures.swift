import AWSSigning

/// Profile file text read by more than one provider's tests.
enum ProfileFileFixtures {
    /// A `[default]` profile with long-lived keys and a `[prod]` profile with a session token.
    static let defaultAndProd = """
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = secretDefault
        [prod]
        aws_access_key_id = AKIDPROD
        aws_secret_access_key = secretProd
        aws_session_token = tokenProd
        """

    /// What the `[prod]` profile of ``defaultAndProd`` holds.
    static let prodCredentials = AWSCredentials(
        accessKeyID: "AKIDPROD", secretAccessKey: "secretProd", sessionToken: "tokenProd")
}
