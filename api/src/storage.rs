//! Uploaded files, behind one abstraction: a local directory by default, an S3-compatible
//! bucket by configuration (several instances behind a load balancer share it). Files are
//! streamed both ways, never held whole in memory; what is stored is checked while it
//! streams (size limit, content sniffing) and hashed (SHA-256).

use std::sync::Arc;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt, WriteMultipart};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};

use crate::config::Settings;

/// How many leading bytes the content check sees before anything is stored.
const SNIFF_BYTES: usize = 1024;

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// `local` or `s3`, for the logs.
    pub kind: &'static str,
}

/// What was stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub size: u64,
    /// Lower-case hex.
    pub sha256: String,
}

/// Why an upload was refused; nothing is left in storage then.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("larger than {max} bytes")]
    TooLarge { max: u64 },
    #[error("the content is not of the accepted kind")]
    WrongContent,
    #[error("empty file")]
    Empty,
    /// The client's stream broke off (a dropped connection, a malformed multipart body).
    #[error("the upload was interrupted: {0}")]
    Interrupted(String),
    #[error("storage: {0}")]
    Storage(#[from] object_store::Error),
}

/// The content an upload must have.
#[derive(Debug, Clone, Copy)]
pub enum Accept {
    /// A PDF: it starts with `%PDF-` (after at most a byte-order mark and some white
    /// space), whatever its name says. An HTML or SVG page with `%PDF-` somewhere in its
    /// head is not one.
    Pdf,
    /// Anything (firmware images, archives, configuration examples): downloads of it are
    /// always `application/octet-stream` attachments, never shown inline.
    Any,
}

impl Accept {
    fn matches(self, head: &[u8]) -> bool {
        match self {
            Accept::Pdf => {
                let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
                let start = head
                    .iter()
                    .take(16)
                    .take_while(|b| b.is_ascii_whitespace())
                    .count();
                head[start..].starts_with(b"%PDF-")
            }
            Accept::Any => true,
        }
    }
}

impl Storage {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        match &settings.s3_bucket {
            Some(bucket) => {
                let mut builder = AmazonS3Builder::new()
                    .with_bucket_name(bucket)
                    .with_region(&settings.s3_region);
                if let Some(endpoint) = &settings.s3_endpoint {
                    builder = builder
                        .with_endpoint(endpoint)
                        .with_allow_http(endpoint.starts_with("http://"))
                        // MinIO, moto and most S3-compatible servers take paths, not
                        // bucket subdomains.
                        .with_virtual_hosted_style_request(false);
                }
                if let (Some(key), Some(secret)) =
                    (&settings.s3_access_key_id, &settings.s3_secret_access_key)
                {
                    builder = builder
                        .with_access_key_id(key)
                        .with_secret_access_key(secret.expose_secret());
                }
                Ok(Self {
                    store: Arc::new(builder.build()?),
                    kind: "s3",
                })
            }
            None => {
                std::fs::create_dir_all(&settings.storage_dir)?;
                Ok(Self {
                    store: Arc::new(LocalFileSystem::new_with_prefix(&settings.storage_dir)?),
                    kind: "local",
                })
            }
        }
    }

    /// Streams `body` into `key`: refused (and nothing left behind) when it exceeds `max`
    /// bytes, is empty, or does not start like `accept` says.
    pub async fn put<S, E>(&self, key: &str, body: S, max: u64, accept: Accept) -> Result<Stored, UploadError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let path = Path::from(key);
        let mut body = body;
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        // Nothing is written before the head has been checked.
        let mut head: Vec<u8> = Vec::new();
        let mut writer: Option<WriteMultipart> = None;
        let result: Result<(), UploadError> = async {
            while let Some(chunk) = body.next().await {
                let chunk = chunk.map_err(|error| UploadError::Interrupted(error.to_string()))?;
                size += chunk.len() as u64;
                if size > max {
                    return Err(UploadError::TooLarge { max });
                }
                hasher.update(&chunk);
                match writer.as_mut() {
                    Some(writer) => {
                        writer.wait_for_capacity(4).await?;
                        writer.put(chunk);
                    }
                    None => {
                        head.extend_from_slice(&chunk);
                        if head.len() >= SNIFF_BYTES {
                            writer = Some(self.start(&path, std::mem::take(&mut head), accept).await?);
                        }
                    }
                }
            }
            Ok(())
        }
        .await;
        if let Err(error) = result {
            if let Some(writer) = writer {
                let _ = writer.abort().await;
            }
            return Err(error);
        }
        let writer = match writer {
            Some(writer) => writer,
            None if head.is_empty() => return Err(UploadError::Empty),
            None => self.start(&path, head, accept).await?,
        };
        writer.finish().await?;
        Ok(Stored {
            size,
            sha256: format!("{:x}", hasher.finalize()),
        })
    }

    async fn start(&self, path: &Path, head: Vec<u8>, accept: Accept) -> Result<WriteMultipart, UploadError> {
        if !accept.matches(&head) {
            return Err(UploadError::WrongContent);
        }
        let upload = self.store.put_multipart(path).await?;
        let mut writer = WriteMultipart::new(upload);
        writer.put(Bytes::from(head));
        Ok(writer)
    }

    /// The object's bytes as a stream, and its size.
    pub async fn get(
        &self,
        key: &str,
    ) -> Result<
        (
            u64,
            impl Stream<Item = Result<Bytes, object_store::Error>> + use<>,
        ),
        object_store::Error,
    > {
        let result = self.store.get(&Path::from(key)).await?;
        let size = result.meta.size;
        Ok((size, result.into_stream()))
    }

    /// Stores `bytes` at `key` in one request (a part of a resumable upload).
    pub async fn put_bytes(&self, key: &str, bytes: Bytes) -> Result<(), object_store::Error> {
        self.store.put(&Path::from(key), bytes.into()).await.map(|_| ())
    }

    /// Joins the objects `parts`, in order, into `key`, streaming (one part's chunks in
    /// memory at a time) and hashing; the parts stay for the caller to delete.
    pub async fn join(&self, parts: &[String], key: &str) -> Result<Stored, UploadError> {
        let upload = self.store.put_multipart(&Path::from(key)).await?;
        let mut writer = WriteMultipart::new(upload);
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        let result: Result<(), UploadError> = async {
            for part in parts {
                let mut stream = self.store.get(&Path::from(part.as_str())).await?.into_stream();
                while let Some(chunk) = stream.next().await {
                    let chunk = chunk?;
                    size += chunk.len() as u64;
                    hasher.update(&chunk);
                    writer.wait_for_capacity(4).await?;
                    writer.put(chunk);
                }
            }
            Ok(())
        }
        .await;
        if let Err(error) = result {
            let _ = writer.abort().await;
            return Err(error);
        }
        if size == 0 {
            let _ = writer.abort().await;
            return Err(UploadError::Empty);
        }
        writer.finish().await?;
        Ok(Stored {
            size,
            sha256: format!("{:x}", hasher.finalize()),
        })
    }

    /// The bytes `range` (end exclusive) of the object as a stream.
    pub async fn get_range(
        &self,
        key: &str,
        range: std::ops::Range<u64>,
    ) -> Result<impl Stream<Item = Result<Bytes, object_store::Error>> + use<>, object_store::Error> {
        let options = GetOptions {
            range: Some(GetRange::Bounded(range)),
            ..GetOptions::default()
        };
        let result = self.store.get_opts(&Path::from(key), options).await?;
        Ok(result.into_stream())
    }

    pub async fn delete(&self, key: &str) -> Result<(), object_store::Error> {
        self.store.delete(&Path::from(key)).await
    }

    /// Every key under `prefix` (tests: "nothing was left behind").
    pub async fn keys(&self, prefix: &str) -> Result<Vec<String>, object_store::Error> {
        let prefix = Path::from(prefix);
        let listed: Vec<_> = self.store.list(Some(&prefix)).collect().await;
        listed
            .into_iter()
            .map(|meta| meta.map(|meta| meta.location.to_string()))
            .collect()
    }
}
