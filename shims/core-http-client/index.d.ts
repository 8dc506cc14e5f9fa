export declare class HttpClient {
  constructor();
}
