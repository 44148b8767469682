//! Storing an application says whether one of its steps is due now: that is
//! what decides whether the issuing call wakes the fapiao worker, so a held
//! or delayed application must say no and an immediate one yes.

use kabao_server::domain::fapiao::face::{ApplicationKind, FapiaoFace};
use kabao_server::domain::fapiao::outcome::Outcome;
use kabao_server::domain::fapiao::Scene;
use kabao_server::store::{
    self, fapiao::CreatedApplication, fapiao::NewApplication, fapiao::NewFapiao,
};

const OWNER: &str = "1900000109";

fn application(fapiao_apply_id: &str, now: i64) -> NewApplication {
    NewApplication {
        owner_mchid: OWNER.into(),
        caller_mchid: OWNER.into(),
        fapiao_apply_id: fapiao_apply_id.into(),
        kind: ApplicationKind::Classic,
        scene: Scene::WithWechatpay,
        buyer: Default::default(),
        request_hash: fapiao_apply_id.into(),
        fapiaos: vec![NewFapiao {
            fapiao_id: format!("{fapiao_apply_id}-1"),
            face: FapiaoFace {
                seller_information: serde_json::Value::Null,
                extra_information: serde_json::Value::Null,
                items: Vec::new(),
                remark: None,
                need_list: false,
                digital: None,
            },
            card: None,
        }],
        now,
    }
}

#[tokio::test]
async fn a_stored_application_says_whether_its_issuing_step_is_due_now() {
    let dir = tempfile::tempdir().unwrap();
    let store = store::open(&crate::test_db::database_url(dir.path()))
        .await
        .unwrap();
    let now = 1_700_000_000;
    let outcomes = [
        ("immediate", Outcome::Immediate, true),
        ("held", Outcome::Manual, false),
        ("delayed", Outcome::AfterSeconds { seconds: 30 }, false),
    ];
    for (name, outcome, due_now) in outcomes {
        let apply_id = format!("4200000444202301010000{name}");
        store
            .set_fapiao_outcome(OWNER, Some(&apply_id), &outcome, now)
            .await
            .unwrap();
        let created = store
            .create_application(&application(&apply_id, now))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            created,
            CreatedApplication {
                step_due_now: due_now
            },
            "{name} outcome"
        );
    }
}
