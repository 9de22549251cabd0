//! Every committed schema describes every field and variant (`make test` runs this; `make
//! schema-check` separately proves the committed schemas are what the code generates).

use std::path::PathBuf;

#[test]
fn every_field_of_every_contract_schema_is_described() {
    let schema_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schema");
    let mut report = Vec::new();
    let mut contracts = 0;
    for entry in std::fs::read_dir(&schema_dir).expect("schema/ exists") {
        let dir = entry.expect("readable entry").path();
        let Some(name) = dir.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        let file = dir.join(format!("{name}.json"));
        let text =
            std::fs::read_to_string(&file).expect("each contract directory holds <contract>.json");
        let idl: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        contracts += 1;
        for path in gridshare_schema::undocumented(&idl) {
            report.push(format!("{name}: {path}"));
        }
    }
    assert_eq!(contracts, 5, "one schema per contract");
    assert!(
        report.is_empty(),
        "{} fields without a description:\n{}",
        report.len(),
        report.join("\n")
    );
}

#[test]
fn the_lint_finds_an_undocumented_field_and_variant() {
    let idl = serde_json::json!({
        "execute": {"oneOf": [
            {"type": "object", "required": ["go"], "additionalProperties": false,
             "properties": {"go": {"type": "object", "properties": {
                 "speed": {"type": "integer", "description": "m/s"},
                 "to": {"type": "string"}}}}},
            {"description": "Stops.", "type": "object", "required": ["stop"], "additionalProperties": false,
             "properties": {"stop": {"type": "object", "properties": {}}}}
        ]}
    });
    assert_eq!(
        gridshare_schema::undocumented(&idl),
        vec![
            "$.execute.oneOf[0] (variant go)".to_string(),
            "$.execute.oneOf[0].properties.go.properties.to".to_string(),
        ]
    );
}
