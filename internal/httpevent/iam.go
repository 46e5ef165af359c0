package httpevent

import (
	"github.com/aws/aws-lambda-go/events"
)

// IAMCaller is the AWS principal that API Gateway or a Function URL
// authenticated with SigV4 (AWS_IAM authorization) before invoking the
// function, as the event records it.
type IAMCaller struct {
	AccountID string // the caller's AWS account
	ARN       string // user, role or assumed-role session ARN
	CallerID  string // principal ID, "AROA…:session" for an assumed role
	UserID    string
	AccessKey string // the access key ID the request was signed with
	OrgID     string // the AWS Organizations ID, when the event carries it
}

// IAMCallerOf returns the IAM caller recorded in an event, given as a
// pointer (*events.APIGatewayProxyRequest, say): a REST API's
// requestContext.identity (userArn and accountId), or the
// requestContext.authorizer.iam of an HTTP API or Function URL event. It
// reports false when the event records none (the endpoint does not use
// IAM authorization) or when E carries no IAM caller at all.
func IAMCallerOf(e any) (IAMCaller, bool) {
	switch e := e.(type) {
	case *events.APIGatewayProxyRequest:
		if e == nil {
			break
		}
		id := &e.RequestContext.Identity
		if id.UserArn == "" || id.AccountID == "" {
			return IAMCaller{}, false
		}
		return IAMCaller{AccountID: id.AccountID, ARN: id.UserArn, CallerID: id.Caller, UserID: id.User, AccessKey: id.AccessKey}, true
	case *events.APIGatewayV2HTTPRequest:
		if e == nil {
			break
		}
		if a := e.RequestContext.Authorizer; a != nil && a.IAM != nil && a.IAM.UserARN != "" && a.IAM.AccountID != "" {
			return IAMCaller{AccountID: a.IAM.AccountID, ARN: a.IAM.UserARN, CallerID: a.IAM.CallerID, UserID: a.IAM.UserID,
				AccessKey: a.IAM.AccessKey, OrgID: a.IAM.PrincipalOrgID}, true
		}
	case *events.LambdaFunctionURLRequest:
		if e == nil {
			break
		}
		if a := e.RequestContext.Authorizer; a != nil && a.IAM != nil && a.IAM.UserARN != "" && a.IAM.AccountID != "" {
			return IAMCaller{AccountID: a.IAM.AccountID, ARN: a.IAM.UserARN, CallerID: a.IAM.CallerID, UserID: a.IAM.UserID,
				AccessKey: a.IAM.AccessKey}, true
		}
	}
	return IAMCaller{}, false
}

// IAMCallerSupported reports whether events of type E can carry an IAM
// caller: REST API, HTTP API and Function URL events can; ALB events
// cannot.
func IAMCallerSupported[E any]() bool {
	switch any((*E)(nil)).(type) {
	case *events.APIGatewayProxyRequest, *events.APIGatewayV2HTTPRequest, *events.LambdaFunctionURLRequest:
		return true
	}
	return false
}
