//! The generated client against the generated server, in process (the client's transport seam
//! carries requests to the server's tower service, no socket): for every operation, seeded
//! random valid inputs reach the handler equal to what the client sent, and outputs come back
//! equal to what the handler returned.

#[path = "common/gen.rs"]
mod gen;

use std::any::Any;
use std::sync::{Arc, Mutex};

use awsgen_rt::codegen::serde_json::{self, Value};
use awsgen_rt::operation::Operation;
use cognito_identity_client::{operation, transport, Client, Config, Credentials};
use cognito_identity_server::{CognitoIdentity, RequestContext};
use gen::{model, Gen, Rng};

/// A handler that records each input and answers with the output it was given.
#[derive(Clone, Default)]
struct Recorder {
    input: Arc<Mutex<Option<Box<dyn Any + Send>>>>,
    output: Arc<Mutex<Option<Box<dyn Any + Send>>>>,
    context: Arc<Mutex<Option<RequestContext>>>,
}

impl Recorder {
    fn answer<I: Send + 'static, O: 'static>(&self, input: I, cx: RequestContext) -> O {
        *self.input.lock().unwrap() = Some(Box::new(input));
        *self.context.lock().unwrap() = Some(cx);
        let out = self
            .output
            .lock()
            .unwrap()
            .take()
            .expect("an output was set");
        *out.downcast::<O>()
            .expect("the output has the operation's type")
    }
}

macro_rules! recorder {
    ($($method:ident => $op:ident),* $(,)?) => {
        impl CognitoIdentity for Recorder {
            $(
                async fn $method(
                    &self,
                    input: <operation::$op as Operation>::Input,
                    cx: RequestContext,
                ) -> Result<<operation::$op as Operation>::Output, <operation::$op as Operation>::Error> {
                    Ok(self.answer(input, cx))
                }
            )*
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn every_operation_round_trips_random_valid_values() {
            let svc = model();
            let mut gen = Gen::new(&svc);
            let recorder = Recorder::default();
            let client = Client::new(
                Config::builder()
                    .region("us-east-1")
                    .credentials_provider(Credentials::from_keys("AKIDROUNDTRIP", "secret", None))
                    .transport(transport::from_tower(cognito_identity_server::service(recorder.clone())))
                    .build()
                    .unwrap(),
            )
            .unwrap();
            let mut covered = Vec::new();
            $(
                covered.push(stringify!($op));
                let op = &svc.operations[stringify!($op)];
                for seed in 0..40u64 {
                    let mut rng = Rng::new(seed * 7919 + stringify!($op).len() as u64);
                    let input_json = op.input.as_ref().map(|s| gen.value(&mut rng, s, 0)).unwrap_or(Value::Null);
                    let output_json = op.output.as_ref().map(|s| gen.value(&mut rng, s, 0)).unwrap_or(Value::Null);
                    let input: <operation::$op as Operation>::Input = serde_json::from_value(input_json.clone())
                        .unwrap_or_else(|e| panic!("{} input {input_json}: {e}", stringify!($op)));
                    let output: <operation::$op as Operation>::Output = serde_json::from_value(output_json.clone())
                        .unwrap_or_else(|e| panic!("{} output {output_json}: {e}", stringify!($op)));
                    *recorder.output.lock().unwrap() = Some(Box::new(output.clone()));
                    let got = client
                        .runtime()
                        .invoke::<operation::$op>(input.clone())
                        .await
                        .unwrap_or_else(|e| panic!("{} seed {seed} with {input_json}: {e}", stringify!($op)));
                    let seen = recorder.input.lock().unwrap().take().expect("the handler ran");
                    let seen = seen.downcast::<<operation::$op as Operation>::Input>().unwrap();
                    assert!(*seen == input, "{} seed {seed}: the server decoded {:?}, the client sent {:?}", stringify!($op), seen, input);
                    assert!(got == output, "{} seed {seed}: the client decoded {:?}, the server sent {:?}", stringify!($op), got, output);
                    let cx = recorder.context.lock().unwrap().take().unwrap();
                    assert!(!cx.request_id.is_empty());
                    let signed = <operation::$op as Operation>::AUTH == awsgen_rt::operation::Auth::SigV4;
                    assert_eq!(cx.access_key_id.as_deref(), signed.then_some("AKIDROUNDTRIP"), "{}", stringify!($op));
                }
            )*
            let mut all: Vec<&str> = svc.operations.keys().map(String::as_str).collect();
            all.sort();
            covered.sort();
            assert_eq!(covered, all, "every operation is covered");
        }
    };
}

recorder! {
    create_identity_pool => CreateIdentityPool,
    delete_identities => DeleteIdentities,
    delete_identity_pool => DeleteIdentityPool,
    describe_identity => DescribeIdentity,
    describe_identity_pool => DescribeIdentityPool,
    get_credentials_for_identity => GetCredentialsForIdentity,
    get_id => GetId,
    get_identity_pool_roles => GetIdentityPoolRoles,
    get_open_id_token => GetOpenIdToken,
    get_open_id_token_for_developer_identity => GetOpenIdTokenForDeveloperIdentity,
    get_principal_tag_attribute_map => GetPrincipalTagAttributeMap,
    list_identities => ListIdentities,
    list_identity_pools => ListIdentityPools,
    list_tags_for_resource => ListTagsForResource,
    lookup_developer_identity => LookupDeveloperIdentity,
    merge_developer_identities => MergeDeveloperIdentities,
    set_identity_pool_roles => SetIdentityPoolRoles,
    set_principal_tag_attribute_map => SetPrincipalTagAttributeMap,
    tag_resource => TagResource,
    unlink_developer_identity => UnlinkDeveloperIdentity,
    unlink_identity => UnlinkIdentity,
    untag_resource => UntagResource,
    update_identity_pool => UpdateIdentityPool,
}
