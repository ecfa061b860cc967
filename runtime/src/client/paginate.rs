//! Paginators as `futures::Stream`s: pages, or the items of each page. A page whose next token is
//! absent, empty or the same as the token just sent ends the stream.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::{Client, Error};
use crate::operation::Operation;

type PageFuture<O> = Pin<
    Box<
        dyn Future<Output = Result<<O as Operation>::Output, Error<<O as Operation>::Error>>>
            + Send,
    >,
>;

/// How an operation pages: where the token goes in and comes out.
pub struct Pagination<O: Operation> {
    pub set_token: fn(&mut O::Input, String),
    pub next_token: fn(&O::Output) -> Option<&str>,
}

/// The pages of a paginated operation.
pub struct PageStream<O: Operation> {
    client: Option<Client<O::Service>>,
    next: Option<O::Input>,
    pagination: Pagination<O>,
    failed: Option<Error<O::Error>>,
    sent_token: Option<String>,
    in_flight: Option<(PageFuture<O>, O::Input)>,
}

// Nothing in a `PageStream` is pinned in place: the future is boxed.
impl<O: Operation> Unpin for PageStream<O> {}

impl<O> PageStream<O>
where
    O: Operation + 'static,
    O::Input: Clone,
    O::Output: Send,
    O::Error: Send,
{
    pub fn new(client: Client<O::Service>, input: O::Input, pagination: Pagination<O>) -> Self {
        PageStream {
            client: Some(client),
            next: Some(input),
            pagination,
            failed: None,
            sent_token: None,
            in_flight: None,
        }
    }

    /// A stream that yields `error` once (the input could not be built).
    pub fn failed(error: Error<O::Error>, pagination: Pagination<O>) -> Self {
        PageStream {
            client: None,
            next: None,
            pagination,
            failed: Some(error),
            sent_token: None,
            in_flight: None,
        }
    }

    /// The next page, without importing `StreamExt`.
    pub async fn next(&mut self) -> Option<Result<O::Output, Error<O::Error>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every page, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<O::Output>, Error<O::Error>> {
        let mut out = Vec::new();
        while let Some(page) = self.next().await {
            out.push(page?);
        }
        Ok(out)
    }

    /// The items of every page, via `items`.
    pub fn items<T>(self, items: fn(O::Output) -> Vec<T>) -> ItemStream<O, T> {
        ItemStream {
            pages: self,
            items,
            buffer: VecDeque::new(),
        }
    }
}

impl<O> Stream for PageStream<O>
where
    O: Operation + 'static,
    O::Input: Clone,
    O::Output: Send,
    O::Error: Send,
{
    type Item = Result<O::Output, Error<O::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(e) = this.failed.take() {
            return Poll::Ready(Some(Err(e)));
        }
        if this.in_flight.is_none() {
            let (Some(client), Some(input)) = (this.client.clone(), this.next.take()) else {
                return Poll::Ready(None);
            };
            let sent = input.clone();
            let fut: PageFuture<O> = Box::pin(async move { client.invoke::<O>(input).await });
            this.in_flight = Some((fut, sent));
        }
        let Some((fut, _)) = this.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        let result = match fut.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(r) => r,
        };
        let Some((_, mut sent)) = this.in_flight.take() else {
            return Poll::Ready(None);
        };
        match result {
            Ok(output) => {
                let token = (this.pagination.next_token)(&output)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned);
                match token {
                    Some(t) if this.sent_token.as_deref() != Some(t.as_str()) => {
                        (this.pagination.set_token)(&mut sent, t.clone());
                        this.sent_token = Some(t);
                        this.next = Some(sent);
                    }
                    _ => this.client = None,
                }
                Poll::Ready(Some(Ok(output)))
            }
            Err(e) => {
                this.client = None;
                Poll::Ready(Some(Err(e)))
            }
        }
    }
}

/// The items of every page of a paginated operation.
pub struct ItemStream<O: Operation, T> {
    pages: PageStream<O>,
    items: fn(O::Output) -> Vec<T>,
    buffer: VecDeque<T>,
}

impl<O: Operation, T> Unpin for ItemStream<O, T> {}

impl<O, T> ItemStream<O, T>
where
    O: Operation + 'static,
    O::Input: Clone,
    O::Output: Send,
    O::Error: Send,
{
    /// The next item, without importing `StreamExt`.
    pub async fn next(&mut self) -> Option<Result<T, Error<O::Error>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every item, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<T>, Error<O::Error>> {
        let mut out = Vec::new();
        while let Some(item) = self.next().await {
            out.push(item?);
        }
        Ok(out)
    }
}

impl<O, T> Stream for ItemStream<O, T>
where
    O: Operation + 'static,
    O::Input: Clone,
    O::Output: Send,
    O::Error: Send,
{
    type Item = Result<T, Error<O::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.buffer.extend((this.items)(page)),
            }
        }
    }
}
