//! [`Notifier`] over SNS `Publish` with `MessageStructure=json` and message attributes.

use crate::ports::{Notifier, NotifyError};
use aws_sdk_sns::error::DisplayErrorContext;
use aws_sdk_sns::types::MessageAttributeValue;
use policy_guard::render::SnsMessage;
use policy_guard::text::sanitize;

pub struct SnsNotifier {
    client: aws_sdk_sns::Client,
    topic_arn: String,
}

impl SnsNotifier {
    pub fn new(config: &aws_config::SdkConfig, topic_arn: String) -> SnsNotifier {
        SnsNotifier {
            client: aws_sdk_sns::Client::new(config),
            topic_arn,
        }
    }
}

impl Notifier for SnsNotifier {
    async fn publish(&self, message: &SnsMessage) -> Result<String, NotifyError> {
        let mut request = self
            .client
            .publish()
            .topic_arn(&self.topic_arn)
            .subject(&message.subject)
            .message_structure("json")
            .message(&message.message);
        for (name, value) in &message.attributes {
            let attribute = MessageAttributeValue::builder()
                .data_type(value.data_type())
                .string_value(value.string_value())
                .build()
                .map_err(|e| NotifyError(format!("attribute {name}: {e}")))?;
            request = request.message_attributes(name, attribute);
        }
        match request.send().await {
            Ok(output) => Ok(output.message_id().unwrap_or_default().to_string()),
            Err(error) => Err(NotifyError(sanitize(
                &DisplayErrorContext(&error).to_string(),
                1000,
            ))),
        }
    }
}
