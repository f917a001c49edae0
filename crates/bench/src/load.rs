//! A small HTTP load generator for creating and assigning suggestions: one
//! keep-alive connection per worker, written by hand so that the client costs
//! little of the two cores it shares with the server.
//!
//! Two workloads:
//! - `chain`: every suggestion walks four requests (create, submit, accept,
//!   assign), each worker one suggestion at a time;
//! - `flow`: what a session's peak looks like — deputies submit from the form
//!   (create and submit in one request) while staff accept and assign what has
//!   come in, page by page (batch actions of up to `BATCH` items).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// One HTTP/1.1 connection with a session cookie and CSRF token.
struct Conn {
    stream: TcpStream,
    cookie: String,
    csrf: String,
    host: String,
}

impl Conn {
    async fn login(addr: &str, user: &str) -> Result<Conn> {
        let mut c = Conn {
            stream: TcpStream::connect(addr).await?,
            cookie: String::new(),
            csrf: String::new(),
            host: addr.to_string(),
        };
        let (status, headers, body) = c
            .request(
                "POST",
                "/api/session",
                &format!("{{\"username\":\"{user}\",\"password\":\"Demo@2026\"}}"),
            )
            .await?;
        if status != 200 {
            bail!("login {user}: {status} {body}");
        }
        c.cookie = headers
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .starts_with("set-cookie:")
                    .then(|| l[11..].trim().split(';').next().unwrap_or("").to_string())
            })
            .context("cookie")?;
        let v: serde_json::Value = serde_json::from_str(&body)?;
        c.csrf = v["csrf"].as_str().context("csrf")?.to_string();
        Ok(c)
    }

    /// Another connection in the same session: logging in once per role keeps
    /// the bench under the per-address login rate limit.
    async fn share(&self) -> Result<Conn> {
        Ok(Conn {
            stream: TcpStream::connect(&self.host).await?,
            cookie: self.cookie.clone(),
            csrf: self.csrf.clone(),
            host: self.host.clone(),
        })
    }

    async fn request(
        &mut self,
        method: &str,
        path: &str,
        body: &str,
    ) -> Result<(u16, String, String)> {
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nCookie: {}\r\nX-CSRF-Token: {}\r\n\r\n{body}",
            self.host,
            body.len(),
            self.cookie,
            self.csrf
        );
        self.stream.write_all(req.as_bytes()).await?;
        let mut buf = Vec::with_capacity(4096);
        let mut chunk = [0u8; 8192];
        loop {
            let n = self.stream.read(&mut chunk).await?;
            if n == 0 {
                bail!("connection closed");
            }
            buf.extend_from_slice(&chunk[..n]);
            if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buf[..pos]).to_string();
                let len: usize = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap_or(0))
                    })
                    .unwrap_or(0);
                while buf.len() < pos + 4 + len {
                    let n = self.stream.read(&mut chunk).await?;
                    if n == 0 {
                        bail!("connection closed");
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                let status: u16 = head
                    .split_whitespace()
                    .nth(1)
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                let body = String::from_utf8_lossy(&buf[pos + 4..pos + 4 + len]).to_string();
                return Ok((status, head, body));
            }
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// Creates and assigns suggestions over HTTP for `seconds` with `workers`
/// concurrent chains: create (deputy) → submit → accept (staff) → assign.
pub async fn load(addr: &str, unit_id: i64, workers: usize, seconds: u64) -> Result<()> {
    let deputy0 = Conn::login(addr, "deputy").await?;
    let staff0 = Conn::login(addr, "staff").await?;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut handles = Vec::new();
    for w in 0..workers {
        let mut deputy = deputy0.share().await?;
        let mut staff = staff0.share().await?;
        handles.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut chains = 0usize;
            let mut i = 0usize;
            while Instant::now() < deadline {
                i += 1;
                let t = Instant::now();
                let (s, _, b) = deputy.request("POST", "/api/suggestions", &format!("{{\"title\":\"负载测试建议 {w}-{i}\",\"content\":\"内容\"}}")).await?;
                lat.push(t.elapsed());
                if s != 201 {
                    bail!("create: {s} {b}");
                }
                let id = serde_json::from_str::<serde_json::Value>(&b)?["id"].as_i64().context("id")?;
                let steps = [
                    (false, format!("/api/suggestions/{id}/submit"), "{}".to_string()),
                    (true, format!("/api/suggestions/{id}/accept"), "{}".to_string()),
                    (true, "/api/suggestions/assign".to_string(), format!("{{\"ids\":[{id}],\"units\":[{{\"unit_id\":{unit_id},\"role\":\"lead\"}}]}}")),
                ];
                for (as_staff, path, body) in steps {
                    let conn = if as_staff { &mut staff } else { &mut deputy };
                    let t = Instant::now();
                    let (s, _, b) = conn.request("POST", &path, &body).await?;
                    lat.push(t.elapsed());
                    if s != 200 {
                        bail!("{path}: {s} {b}");
                    }
                }
                chains += 1;
            }
            Ok::<_, anyhow::Error>((chains, lat))
        }));
    }
    let started = Instant::now();
    let mut chains = 0;
    let mut lat = Vec::new();
    for h in handles {
        let (c, l) = h.await??;
        chains += c;
        lat.extend(l);
    }
    let secs = started.elapsed().as_secs_f64().max(seconds as f64);
    lat.sort();
    println!(
        "{chains} suggestions created and assigned in {secs:.1} s with {workers} workers: {:.0} suggestions/s, {:.0} requests/s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        chains as f64 / secs,
        lat.len() as f64 / secs,
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        percentile(&lat, 1.0)
    );
    Ok(())
}

/// Items per staff batch: a page of the review list.
const BATCH: usize = 50;

/// Deputies submit from the form for `seconds` with `deputies` concurrent
/// connections; `staff` connections accept and assign what has come in, in
/// batches of up to [`BATCH`]. The clock stops when the last submitted item is
/// assigned, so the rate counts only suggestions that went the whole way.
pub async fn flow(
    addr: &str,
    unit_id: i64,
    deputies: usize,
    staff: usize,
    seconds: u64,
) -> Result<()> {
    let mut accounts = Vec::new();
    for k in 1..=crate::items::LOAD_DEPUTIES.min(deputies) {
        accounts.push(
            Conn::login(addr, &format!("deputy{k:02}"))
                .await
                .context("the load's deputy accounts (seed-items creates them)")?,
        );
    }
    let staff0 = Conn::login(addr, "staff").await?;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let inbox: Arc<Mutex<VecDeque<i64>>> = Arc::default();
    let submitting = Arc::new(std::sync::atomic::AtomicUsize::new(deputies));
    let started = Instant::now();
    let mut writers = Vec::new();
    for w in 0..deputies {
        let mut c = accounts[w % accounts.len()].share().await?;
        let inbox = inbox.clone();
        let submitting = submitting.clone();
        writers.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut i = 0usize;
            let r = async {
                while Instant::now() < deadline {
                    i += 1;
                    let body = format!(
                        "{{\"title\":\"负载测试建议 {w}-{i}\",\"content\":\"内容\",\"submit\":true}}"
                    );
                    let t = Instant::now();
                    let (s, _, b) = c.request("POST", "/api/suggestions", &body).await?;
                    lat.push(t.elapsed());
                    if s != 201 {
                        bail!("create and submit: {s} {b}");
                    }
                    let id = serde_json::from_str::<serde_json::Value>(&b)?["id"]
                        .as_i64()
                        .context("id")?;
                    inbox.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push_back(id);
                }
                Ok(())
            }
            .await;
            submitting.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
            r.map(|_| lat)
        }));
    }
    let mut clerks = Vec::new();
    for _ in 0..staff {
        let mut c = staff0.share().await?;
        let inbox = inbox.clone();
        let submitting = submitting.clone();
        clerks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut done = 0usize;
            loop {
                let batch: Vec<i64> = {
                    let mut q = inbox.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    let n = q.len().min(BATCH);
                    q.drain(..n).collect()
                };
                if batch.is_empty() {
                    if submitting.load(std::sync::atomic::Ordering::SeqCst) == 0
                        && inbox.lock().unwrap_or_else(std::sync::PoisonError::into_inner).is_empty()
                    {
                        break;
                    }
                    // The review list is refreshed, not watched.
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    continue;
                }
                let ids = batch.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
                let steps = [
                    ("/api/suggestions/accept", format!("{{\"ids\":[{ids}]}}")),
                    (
                        "/api/suggestions/assign",
                        format!("{{\"ids\":[{ids}],\"units\":[{{\"unit_id\":{unit_id},\"role\":\"lead\"}}]}}"),
                    ),
                ];
                for (path, body) in steps {
                    let t = Instant::now();
                    let (s, _, b) = c.request("POST", path, &body).await?;
                    lat.push((t.elapsed(), batch.len()));
                    if s != 200 {
                        bail!("{path}: {s} {b}");
                    }
                }
                done += batch.len();
            }
            Ok::<_, anyhow::Error>((done, lat))
        }));
    }
    let mut create = Vec::new();
    for h in writers {
        create.extend(h.await??);
    }
    let mut assigned = 0;
    let mut batches = Vec::new();
    for h in clerks {
        let (d, l) = h.await??;
        assigned += d;
        batches.extend(l);
    }
    let secs = started.elapsed().as_secs_f64();
    if assigned != create.len() {
        bail!("{} submitted but {assigned} assigned", create.len());
    }
    create.sort();
    let mean_batch =
        batches.iter().map(|b| b.1).sum::<usize>() as f64 / batches.len().max(1) as f64;
    let mut blat: Vec<Duration> = batches.into_iter().map(|b| b.0).collect();
    blat.sort();
    println!(
        "{assigned} suggestions submitted, accepted and assigned in {secs:.1} s ({deputies} deputies' and {staff} staff connections): {:.0} suggestions/s; \
         create+submit p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; batch accept/assign ({mean_batch:.0} items on average) p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        assigned as f64 / secs,
        percentile(&create, 0.5),
        percentile(&create, 0.99),
        percentile(&create, 1.0),
        percentile(&blat, 0.5),
        percentile(&blat, 0.99),
        percentile(&blat, 1.0),
    );
    Ok(())
}
